import type PgBoss from "pg-boss";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { BOSS_SCHEMA } from "@/server/jobs/boss";
import { transactionDb } from "@/server/jobs/enqueue-job";

export interface RequeuedJobRun {
  id: string;
  type: string;
  projectId: number | null;
  state: "queued" | "failed";
  reason: string;
}

const bossJob = Prisma.raw(`"${BOSS_SCHEMA}"."job"`);

/**
 * Retries the runs whose worker has stopped: pg-boss still has their job active, but no execution has renewed the
 * run's heartbeat for `staleSeconds` (nor did one ever start it, if pg-boss handed the job out that long ago). This
 * does not wait for pg-boss's expiry (an hour for most jobs), so a killed worker's job is taken up again within
 * about `staleSeconds` plus the sweep interval.
 *
 * The job is failed through pg-boss (which retries it or, past its retry limit, fails it for good), made
 * deliverable at once — its worker is gone, so there is nothing to wait for — and the run is queued or failed, in
 * one transaction. Rows another sweep holds are skipped, never waited on. A stalled execution that wakes up finds
 * its heartbeat refused (the run no longer names it) and stops at its next checkpoint.
 */
export async function requeueStaleJobRuns(db: Db, boss: PgBoss, staleSeconds: number): Promise<RequeuedJobRun[]> {
  return db.$transaction(async (tx) => {
    const stale = await tx.$queryRaw<{ id: string; type: string; project_id: number | null; attempts: number }[]>`
      SELECT r.id::text AS id, r.type, r.project_id, r.attempts
      FROM job_run r
      JOIN ${bossJob} j ON j.name = r.type AND j.id = r.id
      WHERE r.state IN ('queued', 'running')
        AND j.state = 'active'
        AND j.started_on < now() - make_interval(secs => ${staleSeconds}::float8)
        AND (r.heartbeat_at IS NULL OR r.heartbeat_at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${staleSeconds}::float8))
      ORDER BY r.created_at
      LIMIT 100
      FOR UPDATE OF r, j SKIP LOCKED`;
    const requeued: RequeuedJobRun[] = [];
    for (const run of stale) {
      const reason = `The worker running this job stopped (no heartbeat for ${staleSeconds} s)`;
      await boss.fail(run.type, run.id, { message: reason }, { db: transactionDb(tx) });
      const [after] = await tx.$queryRaw<{ state: string }[]>`
        UPDATE ${bossJob} SET start_after = now() WHERE name = ${run.type} AND id = ${run.id}::uuid AND state = 'retry'
        RETURNING state::text AS state`;
      const state = after ? "queued" : "failed";
      await tx.$executeRaw`
        UPDATE job_run SET
          state = ${state}::"JobState",
          error = ${reason},
          execution_id = NULL,
          heartbeat_at = NULL,
          finished_at = CASE WHEN ${state} = 'failed' THEN now() AT TIME ZONE 'UTC' ELSE NULL END,
          updated_at = now() AT TIME ZONE 'UTC'
        WHERE id = ${run.id}::uuid`;
      await tx.jobLog.create({
        data: {
          jobRunId: run.id,
          level: "error",
          message: state === "queued" ? `Failed: ${reason} — will retry` : `Failed: ${reason}; no retries left`,
        },
      });
      requeued.push({ id: run.id, type: run.type, projectId: run.project_id, state, reason });
    }
    return requeued;
  });
}
