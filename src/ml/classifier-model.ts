import { decideClasses, type ClassDecisions } from "@/ml/decide-classes";
import type { FeatureRows } from "@/ml/feature-rows";
import { argmaxRow, computeLogits, logitsToProbaInPlace, predictProba, type LinearModel } from "@/ml/linear-model";
import type { NgramVocabulary } from "@/ml/ngram-vocabulary";

/** The n-gram block of a hybrid model: logits += blockWeight · x_s · weightsᵀ, x_s the text's row under vocabulary. */
export interface SparseBlock {
  vocabulary: NgramVocabulary;
  /** [K × vocabulary.size] row-major. */
  weights: Float32Array;
  blockWeight: number;
}

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
  thresholdPolicy:
    { kind: "default" } | { kind: "target-precision"; target: number } | { kind: "target-recall"; target: number };
  /** Held-out (cross-validated) metrics and training facts; JSON-serializable. */
  metrics: Record<string, unknown>;
  /**
   * The sparse n-gram block of a hybrid model; absent for dense-only models (every model before version 2 of the
   * artifact). A sparse-only model has dim 0 and empty dense arrays.
   */
  sparse?: SparseBlock;
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
  if (model.sparse)
    throw new Error("classifySingleLabel: model has an n-gram block; use classifyRows with FeatureRows");
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
export function classifyMultiLabel(
  model: ClassifierModel,
  X: Float32Array,
  n: number,
): { labels: Uint8Array; proba: Float32Array } {
  if (model.task !== "multi-label") throw new Error("classifyMultiLabel: model is single-label");
  if (model.sparse) throw new Error("classifyMultiLabel: model has an n-gram block; use classifyRows with FeatureRows");
  const K = model.classes.length;
  const proba = predictProba(model, X, n);
  const labels = new Uint8Array(n * K);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++) labels[i * K + k] = proba[i * K + k]! >= model.thresholds[k]! ? 1 : 0;
  return { labels, proba };
}

/** What computeLogitsRows needs: the dense part and, optionally, the sparse weights (no vocabulary). */
export type RowsModel = LinearModel & { sparse?: { weights: Float32Array; blockWeight: number } };

// [V × K] copies of sparse weights, so a row's n-grams read contiguous class vectors; keyed by the weights array.
const BY_COLUMN = new WeakMap<Float32Array, Float32Array>();

function sparseByColumn(weights: Float32Array, K: number): Float32Array {
  let t = BY_COLUMN.get(weights);
  if (!t) {
    const V = weights.length / K;
    t = new Float32Array(weights.length);
    for (let k = 0; k < K; k++) for (let c = 0; c < V; c++) t[c * K + k] = weights[k * V + c]!;
    BY_COLUMN.set(weights, t);
  }
  return t;
}

/**
 * Raw (untempered) logits [n × K] of a dense, sparse-only or hybrid model. The dense block is read when the model
 * has dim > 0 (rows.dense must match it); the sparse block when the model has one (rows.sparse must have its
 * columns). A block the model does not use is ignored.
 */
export function computeLogitsRows(model: RowsModel, rows: FeatureRows): Float32Array {
  const K = model.classes.length;
  const n = rows.n;
  let out: Float32Array;
  if (model.dim > 0) {
    if (!rows.dense || rows.d !== model.dim)
      throw new Error(
        `computeLogitsRows: model needs dense vectors of dim ${model.dim}, got ${rows.dense ? rows.d : "none"}`,
      );
    out = computeLogits(model, rows.dense, n);
  } else {
    out = new Float32Array(n * K);
    for (let i = 0; i < n; i++) out.set(model.bias, i * K);
  }
  const sp = model.sparse;
  if (sp) {
    const S = rows.sparse;
    const V = sp.weights.length / K;
    if (!S || S.cols !== V || S.rows !== n)
      throw new Error(
        `computeLogitsRows: model needs sparse rows with ${V} columns, got ${S ? `${S.rows} × ${S.cols}` : "none"}`,
      );
    const Wt = sparseByColumn(sp.weights, K);
    const z = new Float64Array(K);
    const a = sp.blockWeight;
    for (let i = 0; i < n; i++) {
      z.fill(0);
      for (let p = S.indptr[i]!; p < S.indptr[i + 1]!; p++) {
        const v = a * S.values[p]!;
        const o = S.indices[p]! * K;
        for (let k = 0; k < K; k++) z[k] = z[k]! + v * Wt[o + k]!;
      }
      for (let k = 0; k < K; k++) out[i * K + k] = out[i * K + k]! + z[k]!;
    }
  }
  return out;
}

/** Calibrated probabilities [n × K] for FeatureRows: logits, temperature, softmax or sigmoids. */
export function predictProbaRows(model: ClassifierModel, rows: FeatureRows): Float32Array {
  return logitsToProbaInPlace(
    computeLogitsRows(model, rows),
    rows.n,
    model.classes.length,
    model.task,
    model.temperature,
  );
}

/** Probabilities and decisions (the one rule in decide-classes.ts) for FeatureRows; single- and multi-label. */
export function classifyRows(model: ClassifierModel, rows: FeatureRows): ClassDecisions & { proba: Float32Array } {
  const proba = predictProbaRows(model, rows);
  return { proba, ...decideClasses(proba, rows.n, model.classes.length, model.task, model.thresholds) };
}
