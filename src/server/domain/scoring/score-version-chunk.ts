import type { Db } from "@/server/db";
import { attachLoadedPredictions } from "@/server/domain/scoring/prediction-partitions";
import { scoreItemRange } from "@/server/domain/scoring/score-item-range";
import { chunkRuns } from "@/server/domain/scoring/score-version";

/**
 * One score-chunk job: scores its id range, then, if every other chunk of the parent has completed, attaches the loaded predictions now instead of leaving that to the parent's next look (up to a few seconds
 * later), so the queue switches to the new ranking as soon as it is complete. Two chunks finishing at once may
 * each see the other still running; the parent then attaches (idempotent either way). Missing-only scorings leave
 * it to the parent, which follows the attach with a catch-up pass.
 */
export async function scoreVersionChunk(
  db: Db,
  input: {
    modelVersionId: number;
    fromId: number;
    toId: number;
    parentJobRunId: string;
    jobRunId: string;
    missingOnly?: boolean;
  },
  onProgress?: (done: number) => Promise<void>,
) {
  const { modelVersionId, fromId, toId, missingOnly } = input;
  const { scored, ms } = await scoreItemRange(db, modelVersionId, fromId, toId, onProgress, { missingOnly });
  let attachMs: number | null = null;
  const others = await chunkRuns(db, input.parentJobRunId);
  if (!missingOnly && others.every((r) => r.id === input.jobRunId || r.state === "completed")) {
    const t = performance.now();
    if ((await attachLoadedPredictions(db, modelVersionId)).attached) attachMs = performance.now() - t;
  }
  return { scored, ms, attachMs };
}
