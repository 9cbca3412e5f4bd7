import { decideClasses } from "@/ml/decide-classes";
import { scoreChunk } from "@/ml/uncertainty";
import type { Db } from "@/server/db";
import { readVectorBlock } from "@/server/domain/embeddings/read-vector-block";
import { blockOf, blockRange } from "@/server/domain/embeddings/vector-block-range";
import { loadVersionClassifier } from "@/server/domain/models/load-version-classifier";
import { modelProbabilities, modelReadsText } from "@/ml/model-probabilities";
import { insertPredictions } from "@/server/domain/scoring/insert-predictions";
import { loadPredictions } from "@/server/domain/scoring/load-predictions";
import { prepareLoad } from "@/server/domain/scoring/prediction-partitions";
import { pgPool } from "@/server/pg-pool";
import { queueStrategy } from "@/server/domain/scoring/queue-strategy";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { AppError } from "@/server/errors";

interface VersionParams {
  classIds: number[];
  mislabelFlags?: { itemId: number; score: number }[];
}

/**
 * Scores every item of a project whose id lies in [fromId, toId] with a model version: probabilities, predicted
 * classes, uncertainty (margin), queue priority under the project's strategy and, for flagged human labels, the
 * likely-mislabeled score. A version not yet ranked writes into its load table, block by block, each block's range
 * recorded with its rows (a retried or duplicated chunk skips the ranges already there); a ranked version's writes
 * are insert-if-absent. Either way each item is scored once. `missingOnly` skips reading the items a ranked version
 * has already scored.
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
  const model = loadVersionClassifier(version);
  const params = version.params as unknown as VersionParams;
  const K = model.classes.length;
  const multi = model.task === "multi-label";
  const strategy = queueStrategy(version.project.strategy, multi);
  const flags = new Map((params.mislabelFlags ?? []).map((f) => [f.itemId, f.score]));
  const featurizer = await getFeaturizer(version.featurizerId);
  const withText = modelReadsText(model);
  // Not ranked yet: this is (part of) the version's full scoring, into its load table (prediction-partitions.ts).
  const load = version.rankedAt === null && (await prepareLoad(db, modelVersionId));
  const loaded = new Set<number>();
  if (load) {
    const rows = await db.$queryRaw<{ from_id: number }[]>`
      SELECT from_id FROM prediction_load_block
      WHERE model_version_id = ${modelVersionId} AND from_id BETWEEN ${fromId} AND ${toId}`;
    for (const r of rows) loaded.add(r.from_id);
  }
  // The first id of this range's part of a block: the load marker's key.
  const partFrom = (blockNo: number) => Math.max(blockRange(blockNo).lo, fromId);

  // The pool streams from the vector store one block (≤ 4,096 items) at a time, which bounds memory whatever the
  // size of the range; the next block is read while this one is scored and written.
  const lastBlock = blockOf(toId);
  const read = (blockNo: number) => {
    const pending =
      blockNo > lastBlock || loaded.has(partFrom(blockNo))
        ? Promise.resolve(null)
        : readVectorBlock(db, featurizer, version.projectId, blockNo, {
            fromId,
            toId,
            unscoredBy: options.missingOnly && !load ? modelVersionId : undefined,
            withText,
          });
    pending.catch(() => undefined); // awaited below; a failure surfaces there, not as an unhandled rejection
    return pending;
  };
  let blockNo = blockOf(fromId);
  let next = read(blockNo);
  let scored = 0;
  // Where the time goes, for the job's log: waiting for reads not hidden behind the work, computing, writing.
  const ms = { read: 0, compute: 0, write: 0 };
  for (; blockNo <= lastBlock; blockNo++) {
    let t = performance.now();
    const batch = await next;
    next = read(blockNo + 1);
    ms.read += performance.now() - t;
    if (!batch) continue;
    t = performance.now();
    const { ids, X, texts } = batch;
    const n = ids.length;
    const proba = modelProbabilities(model, { n, dense: X, texts });
    const decisions = decideClasses(proba, n, K, model.task, model.thresholds);
    const priority = scoreChunk(proba, n, K, strategy, {
      seed: version.id,
      offset: ids[0]!,
      thresholds: model.thresholds,
    });
    const uncertainty = scoreChunk(proba, n, K, multi ? "threshold-margin" : "margin", {
      thresholds: model.thresholds,
    });
    const predicted: number[][] = new Array<number[]>(n);
    const confidence = new Float32Array(n);
    const mislabel = new Float32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const classes: number[] = [];
      for (let k = 0; k < K; k++) if (decisions.on[i * K + k] === 1) classes.push(params.classIds[k]!);
      predicted[i] = classes;
      confidence[i] = proba[i * K + decisions.top[i]!]!;
      const flag = flags.get(ids[i]!);
      if (flag !== undefined) mislabel[i] = flag;
    }
    ms.compute += performance.now() - t;
    t = performance.now();
    const predictions = {
      modelVersionId,
      projectId: version.projectId,
      K,
      itemIds: ids,
      proba,
      predicted,
      confidence,
      uncertainty,
      priority,
      mislabel,
    };
    if (load) await loadPredictions(pgPool(), predictions, partFrom(blockNo));
    else await insertPredictions(db, predictions);
    ms.write += performance.now() - t;
    scored += n;
    await onProgress?.(scored);
  }
  return { scored, ms };
}
