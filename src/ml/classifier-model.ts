import { argmaxRow, predictProba, type LinearModel } from "@/ml/linear-model";

/** What trainClassifier produces and the artifact stores: a calibrated linear model plus its decision policy. */
export interface ClassifierModel extends LinearModel {
  /** Featurizer id the vectors came from (e.g. "glove-sif-200@1"); vectors from another featurizer are meaningless. */
  featurizerId: string;
  /**
   * [K] per-class decision thresholds on calibrated probability. Single-label: a prediction of class k with
   * p_k < thresholds[k] is "unsure" (0 = never unsure). Multi-label: label k is on when p_k ≥ thresholds[k].
   */
  thresholds: Float32Array;
  /** How thresholds were chosen, for display. */
  thresholdPolicy: { kind: "default" } | { kind: "target-precision"; target: number } | { kind: "target-recall"; target: number };
  /** Held-out (cross-validated) metrics and training facts; JSON-serializable. */
  metrics: Record<string, unknown>;
}

export interface SingleLabelDecision {
  /** [n] argmax class index, always valid. */
  labels: Int32Array;
  /** [n] 1 when the top probability is below its class threshold. */
  unsure: Uint8Array;
  /** [n × K] calibrated probabilities. */
  proba: Float32Array;
}

/** Single-label decisions with the "unsure" outcome. */
export function classifySingleLabel(model: ClassifierModel, X: Float32Array, n: number): SingleLabelDecision {
  if (model.task !== "single-label") throw new Error("classifySingleLabel: model is multi-label");
  const K = model.classes.length;
  const proba = predictProba(model, X, n);
  const labels = new Int32Array(n);
  const unsure = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = argmaxRow(proba, i, K);
    labels[i] = k;
    const p = proba[i * K + k]!;
    if (!(p >= model.thresholds[k]!)) unsure[i] = 1;
  }
  return { labels, unsure, proba };
}

/** Multi-label decisions: [n × K] 0/1 with p_k ≥ thresholds[k], and the probabilities. */
export function classifyMultiLabel(model: ClassifierModel, X: Float32Array, n: number): { labels: Uint8Array; proba: Float32Array } {
  if (model.task !== "multi-label") throw new Error("classifyMultiLabel: model is single-label");
  const K = model.classes.length;
  const proba = predictProba(model, X, n);
  const labels = new Uint8Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) labels[i * K + k] = proba[i * K + k]! >= model.thresholds[k]! ? 1 : 0;
  return { labels, proba };
}
