import { handleOpenApi } from "@/server/api/http/v1/v1-route";

export const dynamic = "force-dynamic";

export function GET() {
  return handleOpenApi();
}
