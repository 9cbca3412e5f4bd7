import { throttledProgress } from "@/server/domain/job-runs/throttled-progress";
import { scoreVersionChunk } from "@/server/domain/scoring/score-version-chunk";
import type { scoreChunkJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleScoreChunk: JobHandler<typeof scoreChunkJob> = async (
  { modelVersionId, fromId, toId, missingOnly, parentJobRunId },
  ctx,
) => {
  const { scored, ms, attachMs } = await scoreVersionChunk(
    ctx.db,
    { modelVersionId, fromId, toId, parentJobRunId, jobRunId: ctx.jobRunId, missingOnly },
    throttledProgress((done) => ctx.progress(done, toId - fromId + 1)),
  );
  await ctx.log(
    `Scored ${scored} items with ids ${fromId}–${toId} (waiting for reads ${Math.round(ms.read)} ms, computing ${Math.round(ms.compute)} ms, writing ${Math.round(ms.write)} ms)`,
  );
  if (attachMs !== null)
    await ctx.log(`Last chunk: indexed and attached the version's predictions in ${Math.round(attachMs)} ms`);
  return { scored };
};
