import { handleExport } from "@/server/api/http/export-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  return handleExport(request, (await params).projectId);
}
