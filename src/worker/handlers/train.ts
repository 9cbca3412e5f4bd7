import { queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { TrainingPreconditionError, trainModelVersion } from "@/server/domain/training/train-model-version";
import type { trainJob } from "@/server/jobs/job-definitions";
import { PermanentJobError } from "@/worker/job-context";
import type { JobHandler } from "@/worker/run-job";

export const handleTrain: JobHandler<typeof trainJob> = async ({ projectId }, ctx) => {
  try {
    const run = await ctx.db.jobRun.findUnique({ where: { id: ctx.jobRunId }, select: { createdById: true } });
    const version = await trainModelVersion(ctx.db, ctx.boss, projectId, {
      jobRunId: ctx.jobRunId,
      userId: run?.createdById ?? null,
      hooks: ctx,
    });
    const macroF1 = (version.metrics as { test?: { macroF1?: number } | null } | null)?.test?.macroF1;
    // The Overview's next step ("train" → "compare") and counts follow a finished training by themselves.
    await ctx.db.$transaction((tx) => queueStatsRefresh(tx, ctx.boss, projectId));
    await ctx.log(
      `Version v${version.number} ready${macroF1 === undefined || macroF1 === null ? " (no labeled test items yet)" : `: test macro-F1 ${(macroF1 * 100).toFixed(1)}%`}`,
    );
    return { modelVersionId: version.id, number: version.number };
  } catch (error) {
    if (error instanceof TrainingPreconditionError) throw new PermanentJobError(error.message);
    throw error;
  }
};
