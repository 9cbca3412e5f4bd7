import type PgBoss from "pg-boss";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import type { Db } from "@/server/db";
import { reconcileJobRuns } from "@/server/domain/job-runs/reconcile-job-runs";
import { requeueStaleJobRuns } from "@/server/domain/job-runs/requeue-stale-job-runs";
import { redactedMessage } from "@/server/redact-secrets";

export interface JobRunSweep {
  stop(): Promise<void>;
}

/**
 * Runs the job-run sweep — retry the runs whose heartbeat went stale (their worker died), end the runs pg-boss gave
 * up on — now and then every `everySeconds` (±20 % jitter, so that workers started together do not
 * sweep in step). Every worker runs its own timer rather than one pg-boss cron job: the sweep is one idempotent
 * statement, and it keeps working when pg-boss's own delivery is what went wrong.
 */
export async function scheduleJobRunSweep(
  db: Db,
  boss: PgBoss,
  options: { everySeconds: number; staleSeconds: number; log: (line: string) => void },
): Promise<JobRunSweep> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const sweep = async () => {
    try {
      for (const run of await requeueStaleJobRuns(db, boss, options.staleSeconds)) {
        options.log(
          `[worker] job sweep: ${run.type} ${run.id} ${run.state === "queued" ? "re-queued" : "failed"}: ${run.reason}`,
        );
      }
      for (const run of await reconcileJobRuns(db, { staleSeconds: options.staleSeconds })) {
        options.log(`[worker] job sweep: ${run.type} ${run.id} ${run.state}: ${run.reason}`);
      }
    } catch (error) {
      // During an outage the worker has already said the database is away; the next sweep after it returns catches up.
      if (isDatabaseUnavailable(error)) return;
      options.log(`[worker] job sweep failed: ${redactedMessage(error)}`);
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = sweep().then(next);
      },
      options.everySeconds * 1000 * (0.8 + 0.4 * Math.random()),
    );
    timer.unref();
  };

  running = sweep();
  await running;
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
