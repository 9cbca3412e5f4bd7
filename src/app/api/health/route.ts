import { RETRY_AFTER_SECONDS } from "@/server/error-table";
import { checkHealth } from "@/server/database/check-health";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(db());
  if (health.ok) return Response.json({ status: "ok", ...health });
  // Unauthenticated callers (load balancers) learn that the database is down, not its address or error text.
  console.error(`[margin] health check failed: ${health.database}`);
  return Response.json(
    { status: "error", ok: false, database: "unavailable", migrations: 0 },
    { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
  );
}
