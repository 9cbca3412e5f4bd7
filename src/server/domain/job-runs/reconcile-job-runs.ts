import { env } from "@/env";
import { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { BOSS_SCHEMA } from "@/server/jobs/boss";

export interface ReconciledJobRun {
  id: string;
  type: string;
  projectId: number | null;
  state: "failed" | "cancelled";
  reason: string;
}

const bossTable = (table: "job" | "archive") => Prisma.raw(`"${BOSS_SCHEMA}"."${table}"`);

/**
 * Ends the queued or running job runs whose pg-boss job will never be delivered again, so that they stop blocking
 * work that waits on them (one training per project, a score job's chunks) and stop showing as running.
 *
 * runJob records every outcome its handler reaches *before* pg-boss hears of it, so a run still queued/running
 * whose pg-boss job is failed, cancelled, completed, archived or gone was abandoned: typically a worker killed
 * (OOM, SIGKILL) mid-job whose lease expired after the last retry. Runs whose job is created, retry or active are
 * left alone. The job_run row and its pg-boss job commit in the same transaction (enqueueJob), so one statement
 * snapshot never sees a new run without its job.
 *
 * A run whose heartbeat is fresh is left alone: its execution is alive and will record the outcome.
 *
 * One statement, guarded by `state IN ('queued', 'running')`: several workers may run it at once and each run is
 * ended (and logged) exactly once; rows another sweep (or a live handler) holds are skipped, never waited on, so
 * concurrent sweeps cannot deadlock, and a skipped row is picked up by the next sweep. It reads only in-flight runs (index on job_run (state, created_at)) and looks
 * each one up by pg-boss's primary key (name, id), so finished history costs nothing.
 */
export async function reconcileJobRuns(
  db: DbOrTx,
  options: { staleSeconds?: number } = {},
): Promise<ReconciledJobRun[]> {
  const staleSeconds = options.staleSeconds ?? env().JOB_STALE_SECONDS;
  return db.$queryRaw<ReconciledJobRun[]>`
    WITH boss_job AS (
      SELECT r.id,
             CASE WHEN b.state = 'cancelled' OR r.cancel_requested_at IS NOT NULL THEN 'cancelled' ELSE 'failed' END AS next_state,
             b.state AS boss_state, b.archived, b.attempts, b.message
      FROM job_run r
      LEFT JOIN LATERAL (
        SELECT state::text AS state, archived, attempts, message FROM (
          SELECT j.state, false AS archived, CASE WHEN j.started_on IS NULL THEN 0 ELSE j.retry_count + 1 END AS attempts,
                 left(coalesce(j.output->>'message', j.output->'value'->>'message', j.output->>'value'), 300) AS message
          FROM ${bossTable("job")} j WHERE j.name = r.type AND j.id = r.id
          UNION ALL
          SELECT a.state, true, CASE WHEN a.started_on IS NULL THEN 0 ELSE a.retry_count + 1 END,
                 left(coalesce(a.output->>'message', a.output->'value'->>'message', a.output->>'value'), 300)
          FROM ${bossTable("archive")} a WHERE a.name = r.type AND a.id = r.id
        ) found
        ORDER BY archived
        LIMIT 1
      ) b ON true
      WHERE r.state IN ('queued', 'running')
        AND (b.state IS NULL OR b.archived OR b.state IN ('completed', 'cancelled', 'failed'))
        -- An execution that still renews its heartbeat owns the run whatever pg-boss did with the job (a timeout
        -- that re-delivered it, retries used up by deliveries that deferred to it): it records the outcome itself.
        AND (r.heartbeat_at IS NULL OR r.heartbeat_at < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${staleSeconds}::float8))
      FOR UPDATE OF r SKIP LOCKED
    ),
    stuck AS (
      SELECT id, next_state, attempts,
             CASE
               WHEN boss_state IS NULL THEN
                 'Its pg-boss job no longer exists (deleted, or its queue was removed), so no worker will run it'
               WHEN boss_state = 'failed' AND attempts > 0 THEN
                 format('The worker stopped during this job and pg-boss gave up after %s attempt%s', attempts, CASE WHEN attempts = 1 THEN '' ELSE 's' END)
                 || coalesce(format(' (pg-boss: %s)', message), '')
               WHEN boss_state = 'failed' THEN
                 'pg-boss failed this job before any worker started it' || coalesce(format(' (pg-boss: %s)', message), '')
               WHEN boss_state = 'cancelled' THEN 'pg-boss cancelled this job before its handler finished'
               WHEN boss_state = 'completed' THEN 'pg-boss marked this job completed, but its handler never recorded an outcome'
               ELSE 'pg-boss discarded this job: it waited past its retention without a worker finishing it'
             END AS reason
      FROM boss_job
    ),
    ended AS (
      UPDATE job_run r
      SET state = s.next_state::"JobState",
          error = s.reason,
          attempts = GREATEST(r.attempts, COALESCE(s.attempts, 0)),
          finished_at = now() AT TIME ZONE 'UTC',
          updated_at = now() AT TIME ZONE 'UTC'
      FROM stuck s
      WHERE r.id = s.id AND r.state IN ('queued', 'running')
      RETURNING r.id, r.type, r.project_id, r.state::text AS state, s.reason
    ),
    logged AS (
      INSERT INTO job_log (job_run_id, level, message, at)
      SELECT id, CASE WHEN state = 'cancelled' THEN 'warn' ELSE 'error' END,
             CASE WHEN state = 'cancelled' THEN 'Cancelled: ' ELSE 'Failed: ' END || reason,
             now() AT TIME ZONE 'UTC'
      FROM ended
    )
    SELECT id::text AS id, type, project_id AS "projectId", state, reason FROM ended`;
}
