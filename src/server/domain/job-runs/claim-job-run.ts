import type { DbOrTx } from "@/server/db";

export type JobRunClaim =
  | { outcome: "claimed"; attempts: number }
  | { outcome: "missing" }
  | { outcome: "finished"; state: "completed" | "cancelled" }
  /** Another execution holds the run and its heartbeat is fresh. */
  | { outcome: "live" };

/**
 * Makes `executionId` the one execution of a run, if no other holds it: the run must be unfinished and its
 * heartbeat absent or older than `staleSeconds`. One statement, so of two deliveries racing for a run exactly one
 * wins. `countAttempt` is false for a handler's own check-back (a parent looking at its chunks again), which is
 * not a new attempt.
 */
export async function claimJobRun(
  db: DbOrTx,
  input: { jobRunId: string; executionId: string; staleSeconds: number; countAttempt: boolean; retryCount: number },
): Promise<JobRunClaim> {
  const { jobRunId, executionId, staleSeconds, countAttempt, retryCount } = input;
  const [claimed] = await db.$queryRaw<{ attempts: number }[]>`
    UPDATE job_run SET
      state = 'running',
      started_at = coalesce(started_at, now() AT TIME ZONE 'UTC'),
      -- pg-boss's count when it has one (a re-sent job starts its count again, so never below ours + 1).
      attempts = CASE WHEN ${countAttempt} THEN GREATEST(attempts + 1, ${retryCount + 1}::int) ELSE attempts END,
      error = CASE WHEN ${countAttempt} THEN NULL ELSE error END,
      finished_at = NULL,
      execution_id = ${executionId}::uuid,
      heartbeat_at = now() AT TIME ZONE 'UTC',
      updated_at = now() AT TIME ZONE 'UTC'
    WHERE id = ${jobRunId}::uuid
      AND state NOT IN ('completed', 'cancelled')
      AND (heartbeat_at IS NULL OR heartbeat_at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${staleSeconds}::float8))
    RETURNING attempts`;
  if (claimed) return { outcome: "claimed", attempts: claimed.attempts };
  const run = await db.jobRun.findUnique({ where: { id: jobRunId }, select: { state: true } });
  if (!run) return { outcome: "missing" };
  if (run.state === "completed" || run.state === "cancelled") return { outcome: "finished", state: run.state };
  return { outcome: "live" };
}
