import type PgBoss from "pg-boss";
import type { Tx } from "@/server/db";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { projectStatsJob } from "@/server/jobs/job-definitions";

const STATS_LOCK = 0x5354;

export interface QueueStatsRefreshOptions {
  /** Also count a running job as absorbing the change (the Overview's check: its fingerprint catches anything later). */
  runningAbsorbs?: boolean;
  /**
   * Start the job this much later (labels: a burst of them shares one job), or a function giving that delay, asked
   * only when a job is actually queued (label-stats-delay.ts reads the last run's duration).
   */
  startAfterSeconds?: number | ((tx: Tx) => Promise<number>);
}

/**
 * The debounce behind the Overview's statistics: queues one stats job for the project in the caller's transaction
 * unless one is already waiting, which absorbs every change made before it starts. Imports, trainings and labels
 * call it after their change; at most one job ever waits per project.
 */
export async function queueStatsRefresh(
  tx: Tx,
  boss: PgBoss,
  projectId: number,
  options: QueueStatsRefreshOptions = {},
) {
  const states = options.runningAbsorbs ? (["queued", "running"] as const) : (["queued"] as const);
  const waiting = () =>
    tx.jobRun.findFirst({
      where: { projectId, type: projectStatsJob.name, state: { in: [...states] } },
      select: { id: true },
    });
  // Checked before locking too: while labels arrive, a job is nearly always waiting and no label queues on the lock.
  const early = await waiting();
  if (early) return { state: "pending" as const, jobRunId: early.id };
  // Serializes concurrent callers for one project, so two of them queue one job, not two. An advisory lock, not the
  // project row: a label's transaction already holds a key-share lock on that row (its annotation's foreign key), and
  // two of them upgrading it would deadlock.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${STATS_LOCK}::int, ${projectId}::int)`;
  const pending = await waiting();
  if (pending) return { state: "pending" as const, jobRunId: pending.id };
  const delay = options.startAfterSeconds;
  const startAfterSeconds = typeof delay === "function" ? await delay(tx) : delay;
  const run = await enqueueJob(
    tx,
    boss,
    projectStatsJob,
    { projectId },
    { projectId, userId: null, startAfterSeconds },
  );
  return { state: "queued" as const, jobRunId: run.id };
}
