import { classifierFromJSON } from "@/ml/classifier-artifact";
import { classifyMultiLabel, classifySingleLabel } from "@/ml/classifier-model";
import type { DbOrTx } from "@/server/db";
import { embedTexts, type TextRef } from "@/server/domain/embeddings/embed-texts";
import { zeroShotPredict } from "@/server/domain/llm/zero-shot-predict";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { AppError } from "@/server/errors";

export interface VersionPredictions {
  /** The version's classes (project class ids), in its probability order. */
  classIds: number[];
  /** [n × K] calibrated probabilities. */
  probabilities: Float32Array;
  /** Predicted class ids per text (one for single-label; any number for multi-label). */
  predicted: number[][];
  /** Single-label: 1 when the top probability is under its class threshold. */
  unsure: Uint8Array;
}

/**
 * Runs a stored version on texts: a trained classifier on featurizer vectors (from the embedding cache when
 * present), or a zero-shot LLM version through the chat model (answers cached in PostgreSQL).
 */
export async function predictWithVersion(
  db: DbOrTx,
  version: { id: number; projectId: number; number: number; kind: string; featurizerId: string; artifact: unknown; params: unknown },
  refs: Required<TextRef>[],
): Promise<VersionPredictions> {
  if (version.kind === "llm_zero_shot") return predictZeroShot(db, version, refs);
  if (version.kind !== "logistic_regression" || !version.artifact) {
    throw new AppError("PRECONDITION_FAILED", `Version v${version.number} is not a trained classifier`);
  }
  const model = classifierFromJSON(version.artifact);
  const classIds = (version.params as { classIds: number[] }).classIds;
  const featurizer = await getFeaturizer(version.featurizerId);
  const n = refs.length;
  const X = await embedTexts(db, featurizer, refs);
  const K = classIds.length;
  if (model.task === "single-label") {
    const d = classifySingleLabel(model, X, n);
    return { classIds, probabilities: d.proba, predicted: Array.from(d.labels, (k) => [classIds[k]!]), unsure: d.unsure };
  }
  const d = classifyMultiLabel(model, X, n);
  const predicted = Array.from({ length: n }, (_, i) => classIds.filter((_, k) => d.labels[i * K + k] === 1));
  return { classIds, probabilities: d.proba, predicted, unsure: new Uint8Array(n) };
}

/** Zero-shot: arg-max of the stated confidences (single-label) or every class at p ≥ 0.5 (multi-label). */
async function predictZeroShot(db: DbOrTx, version: { id: number; projectId: number; params: unknown }, refs: Required<TextRef>[]): Promise<VersionPredictions> {
  const multiLabel = Boolean((version.params as { multiLabel?: boolean }).multiLabel);
  const { probabilities, classIds } = await zeroShotPredict(db, version.projectId, refs.map((r) => r.text), { modelVersionId: version.id });
  const K = classIds.length;
  const predicted = refs.map((_, i) => {
    if (multiLabel) return classIds.filter((_, k) => probabilities[i * K + k]! >= 0.5);
    let top = 0;
    for (let k = 1; k < K; k++) if (probabilities[i * K + k]! > probabilities[i * K + top]!) top = k;
    return [classIds[top]!];
  });
  return { classIds, probabilities, predicted, unsure: new Uint8Array(refs.length) };
}
