import type { Tx } from "@/server/db";
import { projectStatsJob } from "@/server/jobs/job-definitions";

/** How long a stats job queued after a label waits at least, so that a burst of labels shares one job. */
export const LABEL_STATS_DELAY_SECONDS = 10;
/** …and at most: the Overview's figures lag the labels by no more than this plus one job. */
export const LABEL_STATS_MAX_DELAY_SECONDS = 120;
/**
 * While people label, the stats job may run this share of the time at most. It scans every item of the project
 * (1.1–2.2 s at 1M items); queued every 10 s it ran a fifth of the time on a 2-core server, and the queue's slowest
 * calls were the ones that overlapped it (bench/results/loop.md, session 11: the 10 slowest paced queue.next calls
 * at 1M all did). At 5% a queue call overlaps it one time in twenty at most, so its p95 no longer rests on it.
 */
const LABEL_STATS_MAX_SHARE = 0.05;

/**
 * The delay of a stats job queued by a label: at least LABEL_STATS_DELAY_SECONDS, and long enough that the job —
 * as long as its last completed run — takes at most LABEL_STATS_MAX_SHARE of the time. Small projects keep the
 * 10 s; a million-item project waits ~20–40 s. An open Overview still asks for fresh figures itself.
 */
export async function labelStatsDelaySeconds(tx: Tx, projectId: number): Promise<number> {
  const last = await tx.jobRun.findFirst({
    where: {
      projectId,
      type: projectStatsJob.name,
      state: "completed",
      startedAt: { not: null },
      finishedAt: { not: null },
    },
    orderBy: { createdAt: "desc" },
    select: { startedAt: true, finishedAt: true },
  });
  const seconds = last ? Math.max(0, (last.finishedAt!.getTime() - last.startedAt!.getTime()) / 1000) : 0;
  const paced = Math.ceil(seconds * (1 / LABEL_STATS_MAX_SHARE - 1));
  return Math.min(LABEL_STATS_MAX_DELAY_SECONDS, Math.max(LABEL_STATS_DELAY_SECONDS, paced));
}
