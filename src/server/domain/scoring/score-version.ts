import type PgBoss from "pg-boss";
import { env } from "@/env";
import type { Db } from "@/server/db";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { throttledProgress } from "@/server/domain/job-runs/throttled-progress";
import { BLOCK_IDS, blockOf, blockRange } from "@/server/domain/embeddings/vector-block-range";
import { diversifyQueueHead } from "@/server/domain/scoring/diversify-queue-head";
import { attachLoadedPredictions } from "@/server/domain/scoring/prediction-partitions";
import { scoreItemRange } from "@/server/domain/scoring/score-item-range";
import { scoreZeroShotSample } from "@/server/domain/scoring/score-zero-shot-sample";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreChunkJob } from "@/server/jobs/job-definitions";

/**
 * Scores a project's pool with a version (every item, or those it has not scored with `missingOnly`). A zero-shot
 * LLM version scores a sample only (ZERO_SHOT_SCORE_ITEMS: each item is a request). Pools wider than
 * SCORE_CHUNK_SIZE ids are split into score-chunk jobs that any worker runs, queued once (a later call finds them);
 * until they are all done this returns `{ waiting }` without blocking, and the caller calls again later (the
 * worker re-queues the parent job), so a waiting parent holds no worker. A version not ranked yet is loaded whole
 * and then attached in one transaction (prediction-partitions.ts): the queue switches to its ranking at once. With
 * the margin + diversity strategy a diverse batch then moves to the head of the queue.
 */
export async function scoreVersion(
  db: Db,
  boss: PgBoss,
  input: { projectId: number; modelVersionId: number; missingOnly?: boolean; jobRunId: string },
  hooks: JobHooks,
): Promise<{ scored: number } | { waiting: { done: number; of: number } }> {
  const { projectId, modelVersionId, missingOnly, jobRunId } = input;
  const version = await db.modelVersion.findUniqueOrThrow({
    where: { id: modelVersionId },
    select: { kind: true, rankedAt: true, project: { select: { strategy: true } } },
  });
  if (version.kind === "llm_zero_shot") {
    const limit = env().ZERO_SHOT_SCORE_ITEMS;
    const { scored } = await scoreZeroShotSample(db, modelVersionId, limit, (done, total) =>
      hooks.progress(done, total),
    );
    await hooks.log(
      `Zero-shot: scored ${scored} more items of a sample of up to ${limit} unlabeled items (ZERO_SHOT_SCORE_ITEMS)`,
    );
    return { scored };
  }
  const [range] = await db.$queryRaw<{ lo: number | null; hi: number | null; n: bigint }[]>`
    SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM item WHERE project_id = ${projectId}`;
  const total = Number(range?.n ?? 0);
  if (!range || range.lo === null || range.hi === null) {
    await attachLoadedPredictions(db, modelVersionId); // an empty ranking, so later imports find a partition
    return { scored: 0 };
  }
  const { lo, hi } = range;
  const chunkIds = env().SCORE_CHUNK_SIZE;

  let scored = 0;
  if (hi - lo < chunkIds) {
    ({ scored } = await scoreItemRange(
      db,
      modelVersionId,
      lo,
      hi,
      throttledProgress((done) => hooks.progress(done, total)),
      { missingOnly },
    ));
  } else {
    if ((await chunkRuns(db, jobRunId)).length === 0) {
      let chunks = 0;
      await db.$transaction(async (tx) => {
        for (let from = lo; from <= hi; chunks++) {
          const to = chunkEnd(from, chunkIds, hi);
          await enqueueJob(
            tx,
            boss,
            scoreChunkJob,
            { projectId, modelVersionId, fromId: from, toId: to, parentJobRunId: jobRunId, missingOnly },
            { projectId },
          );
          from = to + 1;
        }
      });
      await hooks.log(`Split ${total} items into ${chunks} chunks`);
    }
    const chunks = await checkChunks(db, jobRunId, hooks);
    if ("waiting" in chunks) return chunks;
    scored = chunks.scored;
  }
  await hooks.log(`Scored ${scored} items${missingOnly ? " the version had not scored yet" : ""}`);
  if (version.rankedAt === null) {
    const t = performance.now();
    const { attached } = await attachLoadedPredictions(db, modelVersionId);
    if (attached) await hooks.log(`Indexed and attached the predictions in ${Math.round(performance.now() - t)} ms`);
    // Items imported while the load ran may sit in a range that was already loaded: a missing-only request
    // catches them now that the version is ranked (insert-if-absent).
    if (missingOnly) {
      const late = await scoreItemRange(db, modelVersionId, lo, hi, undefined, { missingOnly: true });
      scored += late.scored;
    }
  }
  if (version.project.strategy === "margin_diversity") {
    const { moved } = await diversifyQueueHead(db, modelVersionId);
    await hooks.log(`Moved a diverse batch of ${moved} items to the head of the queue`);
  }
  return { scored };
}

/**
 * The last id of the chunk starting at `from`: about `chunkIds` ids on, ending where a vector block ends when chunks
 * are at least a block wide, so that no block is read (and checked) by two chunks.
 */
function chunkEnd(from: number, chunkIds: number, hi: number): number {
  if (chunkIds < BLOCK_IDS) return Math.min(hi, from + chunkIds - 1);
  return Math.min(hi, blockRange(blockOf(from + chunkIds) - 1).hi);
}

/** Where a parent run's chunks stand (progress = chunks done); the first failed or cancelled chunk fails it. */
async function checkChunks(
  db: Db,
  parentJobRunId: string,
  hooks: JobHooks,
): Promise<{ scored: number } | { waiting: { done: number; of: number } }> {
  const runs = await chunkRuns(db, parentJobRunId);
  const finished = runs.filter((r) => r.state === "completed").length;
  const failed = runs.find((r) => r.state === "failed" || r.state === "cancelled");
  if (failed) throw new Error(`chunk ${failed.id} ${failed.state}: ${failed.error ?? ""}`);
  await hooks.progress(finished, runs.length);
  if (finished === runs.length) return { scored: runs.reduce((sum, r) => sum + (r.scored ?? 0), 0) };
  return { waiting: { done: finished, of: runs.length } };
}

export function chunkRuns(db: Db, parentJobRunId: string) {
  return db.$queryRaw<{ id: string; state: string; error: string | null; scored: number | null }[]>`
    SELECT id, state::text AS state, error, (result->>'scored')::int AS scored FROM job_run WHERE type = ${scoreChunkJob.name} AND payload->'data'->>'parentJobRunId' = ${parentJobRunId}`;
}
