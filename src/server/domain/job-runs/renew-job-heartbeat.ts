import type { DbOrTx } from "@/server/db";

/**
 * Renews the heartbeat of the execution that holds a run. False when the run is no longer this execution's (the
 * sweep re-queued it after a stall, and another delivery claimed it): the caller must stop working on it.
 */
export async function renewJobHeartbeat(db: DbOrTx, jobRunId: string, executionId: string): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE job_run SET heartbeat_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${jobRunId}::uuid AND execution_id = ${executionId}::uuid`;
  return updated > 0;
}
