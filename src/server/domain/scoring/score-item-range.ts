import { classifierFromJSON } from "@/ml/classifier-artifact";
import { predictProba } from "@/ml/linear-model";
import { scoreChunk } from "@/ml/score-chunk";
import type { Db } from "@/server/db";
import { readItemVectors } from "@/server/domain/embeddings/read-item-vectors";
import { insertPredictions } from "@/server/domain/scoring/insert-predictions";
import { queueStrategy } from "@/server/domain/scoring/queue-strategy";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { AppError } from "@/server/errors";

// Rows per round trip: bounds memory (two batches of n × dim floats in flight) whatever the size of the range.
const BATCH = 10_000;

interface VersionParams {
  classIds: number[];
  mislabelFlags?: { itemId: number; score: number }[];
}

/**
 * Scores every item of a project whose id lies in [fromId, toId] with a model version: probabilities, predicted
 * classes, uncertainty (margin), queue priority under the project's strategy and, for flagged human labels, the
 * likely-mislabeled score. Writes are insert-if-absent, so a retried or duplicated chunk scores each item once;
 * `missingOnly` skips reading the items the version has already scored.
 */
export async function scoreItemRange(
  db: Db,
  modelVersionId: number,
  fromId: number,
  toId: number,
  onProgress?: (done: number) => Promise<void>,
  options: { missingOnly?: boolean } = {},
) {
  const version = await db.modelVersion.findUnique({ where: { id: modelVersionId }, include: { project: true } });
  if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
  if (version.kind !== "logistic_regression" || !version.artifact) throw new AppError("PRECONDITION_FAILED", `Version ${version.number} has no classifier to score with`);
  const model = classifierFromJSON(version.artifact);
  const params = version.params as unknown as VersionParams;
  const K = model.classes.length;
  const multi = model.task === "multi-label";
  const strategy = queueStrategy(version.project.strategy, multi);
  const flags = new Map((params.mislabelFlags ?? []).map((f) => [f.itemId, f.score]));
  const featurizer = await getFeaturizer(version.featurizerId);

  // The next batch is read while this one is scored and written: the database works while Node computes.
  const read = (from: number) => {
    const pending = from > toId ? Promise.resolve(null) : readItemVectors(db, featurizer, version.projectId, from, toId, BATCH, { unscoredBy: options.missingOnly ? modelVersionId : undefined });
    pending.catch(() => undefined); // awaited below; a failure surfaces there, not as an unhandled rejection
    return pending;
  };
  let next = read(fromId);
  let scored = 0;
  for (;;) {
    const batch = await next;
    if (!batch) break;
    const { ids, X } = batch;
    const n = ids.length;
    next = read(ids[n - 1]! + 1);
    const proba = predictProba(model, X, n);
    const priority = scoreChunk(proba, n, K, strategy, { seed: version.id, offset: ids[0]!, thresholds: model.thresholds });
    const uncertainty = scoreChunk(proba, n, K, multi ? "threshold-margin" : "margin", { thresholds: model.thresholds });
    const predicted: string[] = new Array<string>(n);
    const confidence = new Float32Array(n);
    const mislabel = new Float32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const classes: number[] = [];
      let top = 0;
      for (let k = 0; k < K; k++) {
        const p = proba[i * K + k]!;
        if (p > proba[i * K + top]!) top = k;
        if (multi && p >= model.thresholds[k]!) classes.push(params.classIds[k]!);
      }
      if (!multi) classes.push(params.classIds[top]!);
      predicted[i] = `{${classes.join(",")}}`;
      confidence[i] = proba[i * K + top]!;
      const flag = flags.get(ids[i]!);
      if (flag !== undefined) mislabel[i] = flag;
    }
    await insertPredictions(db, { modelVersionId, projectId: version.projectId, K, itemIds: ids, proba, predicted, confidence, uncertainty, priority, mislabel });
    scored += n;
    await onProgress?.(scored);
  }
  return { scored };
}
