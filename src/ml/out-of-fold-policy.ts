import type { ClassifierModel } from "@/ml/classifier-model";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { precisionRecallCurve, thresholdForTarget } from "@/ml/precision-recall-curve";
import type { Targets } from "@/ml/train-logistic-regression";

export interface OutOfFoldPolicy {
  /** [K] decision thresholds (0 single-label / 0.5 multi-label unless a target chose them). */
  thresholds: Float32Array;
  thresholdPolicy: ClassifierModel["thresholdPolicy"];
  /** Cross-validated metrics at those thresholds; undefined without out-of-fold probabilities. */
  crossValidated: ReturnType<typeof evaluateSingleLabel> | ReturnType<typeof evaluateMultiLabel> | undefined;
}

/**
 * What a classifier's out-of-fold probabilities [n × K] decide, for every trainer: per-class thresholds reaching a
 * precision or recall target (single-label: "predict k" is accepted when p_k ≥ t_k among rows where k is the
 * argmax; an unreachable target gives 1.01, always unsure) and the cross-validated metrics at those thresholds.
 */
export function outOfFoldPolicy(
  oofProba: Float32Array | null,
  n: number,
  classes: string[],
  targets: Targets,
  target: { precision: number } | { recall: number } | undefined,
): OutOfFoldPolicy {
  const K = classes.length;
  const thresholds = new Float32Array(K).fill(targets.task === "single-label" ? 0 : 0.5);
  if (!oofProba) return { thresholds, thresholdPolicy: { kind: "default" }, crossValidated: undefined };
  const thresholdPolicy: ClassifierModel["thresholdPolicy"] = !target
    ? { kind: "default" }
    : "precision" in target
      ? { kind: "target-precision", target: target.precision }
      : { kind: "target-recall", target: target.recall };
  if (targets.task === "single-label") {
    const pred = new Int32Array(n);
    for (let i = 0; i < n; i++) pred[i] = argmaxRow(oofProba, i, K);
    const crossValidated = evaluateSingleLabel(targets.y, pred, classes, oofProba);
    if (target) {
      for (let k = 0; k < K; k++) {
        const rows: number[] = [];
        for (let i = 0; i < n; i++) if (pred[i] === k) rows.push(i);
        const curve = precisionRecallCurve(
          rows.map((i) => oofProba[i * K + k]!),
          rows.map((i) => (targets.y[i] === k ? 1 : 0)),
        );
        thresholds[k] = thresholdForTarget(curve, target) ?? 1.01;
      }
    }
    return { thresholds, thresholdPolicy, crossValidated };
  }
  if (target) {
    const score = new Float64Array(n);
    const pos = new Uint8Array(n);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        score[i] = oofProba[i * K + k]!;
        pos[i] = targets.Y[i * K + k]!;
      }
      thresholds[k] = thresholdForTarget(precisionRecallCurve(score, pos, n), target) ?? 1.01;
    }
  }
  const Yhat = new Uint8Array(n * K);
  for (let i = 0; i < n * K; i++) Yhat[i] = oofProba[i]! >= thresholds[i % K]! ? 1 : 0;
  return { thresholds, thresholdPolicy, crossValidated: evaluateMultiLabel(targets.Y, Yhat, n, classes, oofProba) };
}
