import { env } from "@/env";
import type { Prisma } from "@/generated/prisma/client";
import { diversifyQueueHead } from "@/server/domain/scoring/diversify-queue-head";
import { scoreItemRange } from "@/server/domain/scoring/score-item-range";
import { scoreZeroShotSample } from "@/server/domain/scoring/score-zero-shot-sample";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreChunkJob, type scoreJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleScore: JobHandler<typeof scoreJob> = async ({ projectId, modelVersionId, missingOnly }, ctx) => {
  const version = await ctx.db.modelVersion.findUniqueOrThrow({ where: { id: modelVersionId }, select: { kind: true, project: { select: { strategy: true } } } });
  if (version.kind === "llm_zero_shot") {
    const limit = env().ZERO_SHOT_SCORE_ITEMS;
    const { scored } = await scoreZeroShotSample(ctx.db, modelVersionId, limit, (done, total) => ctx.progress(done, total));
    await ctx.log(`Zero-shot: scored ${scored} more items of a sample of up to ${limit} unlabeled items (ZERO_SHOT_SCORE_ITEMS)`);
    return { scored };
  }
  const [range] = await ctx.db.$queryRaw<{ lo: number | null; hi: number | null; n: bigint }[]>`
    SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM item WHERE project_id = ${projectId}`;
  const total = Number(range?.n ?? 0);
  if (!range || range.lo === null || range.hi === null) return { scored: 0 };
  const { lo, hi } = range;
  // Pools up to this many ids are scored by this job itself; larger ones are split into chunk jobs for all workers.
  const SCORE_CHUNK_IDS = env().SCORE_CHUNK_SIZE;

  let scored = 0;
  if (hi - lo < SCORE_CHUNK_IDS) {
    ({ scored } = await scoreItemRange(ctx.db, modelVersionId, lo, hi, (done) => ctx.progress(done, total), { missingOnly }));
  } else {
    // Chunks are enqueued once (a retried parent finds them) and then awaited; each chunk is idempotent.
    const existing = await chunkRuns(ctx.db, ctx.jobRunId);
    if (existing.length === 0) {
      const b = ctx.boss;
      await ctx.db.$transaction(async (tx) => {
        for (let from = lo; from <= hi; from += SCORE_CHUNK_IDS) {
          await enqueueJob(tx, b, scoreChunkJob, { projectId, modelVersionId, fromId: from, toId: Math.min(hi, from + SCORE_CHUNK_IDS - 1), parentJobRunId: ctx.jobRunId, missingOnly }, { projectId });
        }
      });
      await ctx.log(`Split ${total} items into ${Math.ceil((hi - lo + 1) / SCORE_CHUNK_IDS)} chunks`);
    }
    for (;;) {
      const runs = await chunkRuns(ctx.db, ctx.jobRunId);
      const finished = runs.filter((r) => r.state === "completed").length;
      const failed = runs.find((r) => r.state === "failed" || r.state === "cancelled");
      if (failed) throw new Error(`chunk ${failed.id} ${failed.state}: ${failed.error ?? ""}`);
      await ctx.progress(finished, runs.length);
      if (finished === runs.length) {
        scored = runs.reduce((sum, r) => sum + (r.scored ?? 0), 0);
        break;
      }
      await ctx.throwIfCancelled();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  await ctx.log(`Scored ${scored} items${missingOnly ? " the version had not scored yet" : ""}`);
  if (version.project.strategy === "margin_diversity") {
    const { moved } = await diversifyQueueHead(ctx.db, modelVersionId);
    await ctx.log(`Moved a diverse batch of ${moved} items to the head of the queue`);
  }
  return { scored } as Prisma.InputJsonValue;
};

function chunkRuns(db: Parameters<JobHandler<typeof scoreJob>>[1]["db"], parentJobRunId: string) {
  return db.$queryRaw<{ id: string; state: string; error: string | null; scored: number | null }[]>`
    SELECT id, state::text AS state, error, (result->>'scored')::int AS scored FROM job_run WHERE type = ${scoreChunkJob.name} AND payload->'data'->>'parentJobRunId' = ${parentJobRunId}`;
}
