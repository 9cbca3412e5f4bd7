import { scoreItemRange } from "@/server/domain/scoring/score-item-range";
import type { scoreChunkJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleScoreChunk: JobHandler<typeof scoreChunkJob> = async (
  { modelVersionId, fromId, toId, missingOnly },
  ctx,
) => {
  const { scored, ms } = await scoreItemRange(
    ctx.db,
    modelVersionId,
    fromId,
    toId,
    (done) => ctx.progress(done, toId - fromId + 1),
    { missingOnly },
  );
  await ctx.log(
    `Scored ${scored} items with ids ${fromId}–${toId} (waiting for reads ${Math.round(ms.read)} ms, computing ${Math.round(ms.compute)} ms, writing ${Math.round(ms.write)} ms)`,
  );
  return { scored };
};
