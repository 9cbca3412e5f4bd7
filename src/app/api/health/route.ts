import { checkHealth } from "@/server/database/check-health";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(db());
  return Response.json({ status: health.ok ? "ok" : "error", ...health }, { status: health.ok ? 200 : 503 });
}
