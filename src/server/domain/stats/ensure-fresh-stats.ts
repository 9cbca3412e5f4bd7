import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/server/db";
import { sameFingerprint, statsFingerprint, type StatsFingerprint } from "@/server/domain/stats/stats-fingerprint";
import { AppError } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { projectStatsJob } from "@/server/jobs/job-definitions";

export const ensureFreshStatsInput = z.object({ projectId: z.number().int().positive() });

/**
 * Keeps the Overview's statistics current without anyone pressing Refresh: when imports, labels, undos or trainings
 * have changed the project since the statistics were computed, one stats job is queued — unless one is already
 * queued or running, which absorbs every change made before it starts (the debounce: at most one waiting job per
 * project however fast labels arrive).
 */
export async function ensureFreshStats(db: Db, boss: PgBoss, input: z.input<typeof ensureFreshStatsInput>) {
  const { projectId } = ensureFreshStatsInput.parse(input);
  return db.$transaction(async (tx) => {
    // Serializes concurrent callers for one project, so two open Overviews queue one job, not two.
    const [locked] = await tx.$queryRaw<{ stats: { fingerprint?: StatsFingerprint } | null }[]>`SELECT stats FROM project WHERE id = ${projectId} FOR UPDATE`;
    if (!locked) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    if (sameFingerprint(locked.stats?.fingerprint, await statsFingerprint(tx, projectId))) return { state: "fresh" as const };
    const pending = await tx.jobRun.findFirst({ where: { projectId, type: projectStatsJob.name, state: { in: ["queued", "running"] } }, select: { id: true } });
    if (pending) return { state: "pending" as const, jobRunId: pending.id };
    const run = await enqueueJob(tx, boss, projectStatsJob, { projectId }, { projectId, userId: null });
    return { state: "queued" as const, jobRunId: run.id };
  });
}
