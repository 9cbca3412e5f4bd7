import { scoreChunk } from "@/ml/uncertainty";
import type { Db } from "@/server/db";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { insertPredictions } from "@/server/domain/scoring/insert-predictions";
import { ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";
import { queueStrategy } from "@/server/domain/scoring/queue-strategy";
import { AppError } from "@/server/errors";

// Items per round: one read, one zeroShotPredict (which batches and parallelizes the LLM requests), one insert.
const BATCH = 50;

/**
 * Ranks the pool with a zero-shot LLM version. Every prediction costs LLM calls, so only a sample is scored: up to
 * `limit` unlabeled items outside the test split, in an order seeded by the version (a retried job continues with
 * the same sample: items this version already scored are skipped, and LLM answers are cached). Their predictions
 * are the pre-labels annotators accept or correct in the queue; once the sample is labeled the queue serves random
 * items until a trained version ranks the whole pool.
 */
export async function scoreZeroShotSample(
  db: Db,
  modelVersionId: number,
  limit: number,
  onProgress?: (done: number, total: number) => Promise<void>,
) {
  const version = await db.modelVersion.findUnique({
    where: { id: modelVersionId },
    include: { project: { select: { strategy: true } } },
  });
  if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
  if (version.kind !== "llm_zero_shot")
    throw new AppError("PRECONDITION_FAILED", `Version ${version.number} is not a zero-shot version`);
  const { multiLabel } = version.params as { multiLabel?: boolean };
  const strategy = queueStrategy(version.project.strategy, Boolean(multiLabel));
  // Its predictions arrive a batch at a time and count as they come: its partition exists from the start.
  await ensureVersionPartition(db, modelVersionId);
  const [{ done } = { done: 0 }] = await db.$queryRaw<{ done: number }[]>`
    SELECT count(*)::int AS done FROM prediction WHERE model_version_id = ${modelVersionId}`;
  let scored = 0;
  while (done + scored < limit) {
    const items = await db.$queryRaw<{ id: number; text: string; content_hash: string }[]>`
      SELECT i.id, i.text, i.content_hash FROM item i
      WHERE i.project_id = ${version.projectId} AND i.label_status = 'unlabeled' AND i.split <> 'test'
        AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.model_version_id = ${modelVersionId} AND p.item_id = i.id)
      ORDER BY md5(${modelVersionId}::text || ':' || i.id::text)
      LIMIT ${Math.min(BATCH, limit - done - scored)}`;
    if (items.length === 0) break;
    const n = items.length;
    const result = await predictWithVersion(
      db,
      version,
      items.map((i) => ({ text: i.text, contentHash: i.content_hash })),
    );
    const K = result.classIds.length;
    const proba = result.probabilities;
    const thresholds = new Float32Array(K).fill(0.5);
    const priority = scoreChunk(proba, n, K, strategy, { seed: version.id, offset: items[0]!.id, thresholds });
    const uncertainty = scoreChunk(proba, n, K, multiLabel ? "threshold-margin" : "margin", { thresholds });
    const confidence = Float32Array.from(items, (_, i) => Math.max(...proba.subarray(i * K, (i + 1) * K)));
    await insertPredictions(db, {
      modelVersionId,
      projectId: version.projectId,
      K,
      itemIds: items.map((i) => i.id),
      proba,
      predicted: result.predicted,
      confidence,
      uncertainty,
      priority,
      mislabel: new Float32Array(n).fill(-1),
    });
    scored += n;
    await onProgress?.(done + scored, limit);
  }
  return { scored };
}
