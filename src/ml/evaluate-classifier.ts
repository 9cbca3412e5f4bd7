import type { ClassifierModel } from "@/ml/classifier-model";
import { decideClasses } from "@/ml/decide-classes";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { averagePrecision, precisionRecallCurve } from "@/ml/precision-recall-curve";

export interface EvaluationTargets {
  /** [n × K] the model's calibrated probabilities for the labeled items (from modelProbabilities). */
  proba: Float32Array;
  n: number;
  /** Single-label: class index per row. Multi-label: [n × K] 0/1. */
  y?: Int32Array;
  Y?: Uint8Array;
}

const CURVE_POINTS = 40;
const CALIBRATION_BINS = 10;

/**
 * Test-set metrics of a classifier as stored with a model version: the metrics report, per-class
 * precision–recall curves (downsampled) with the model's thresholds, and a reliability diagram.
 */
export function evaluateClassifier(
  model: Pick<ClassifierModel, "classes" | "task" | "thresholds">,
  t: EvaluationTargets,
) {
  const K = model.classes.length;
  const { n } = t;
  if (n === 0) return null;
  const proba = t.proba;
  const decision = decideClasses(proba, n, K, model.task, model.thresholds);
  let report: Record<string, unknown>;
  let macroF1: number;
  if (model.task === "single-label") {
    const r = evaluateSingleLabel(t.y!, decision.top, model.classes, proba);
    report = { ...r, unsureRate: decision.unsure.reduce((s, u) => s + u, 0) / n };
    macroF1 = r.macro.f1;
  } else {
    const r = evaluateMultiLabel(t.Y!, decision.on, n, model.classes, proba);
    report = { ...r };
    macroF1 = r.macro.f1;
  }
  const isPositive = (i: number, k: number) => (model.task === "single-label" ? t.y![i] === k : t.Y![i * K + k] === 1);
  const prCurves = model.classes.map((name, k) => {
    const scores = new Float64Array(n);
    const positive = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = proba[i * K + k]!;
      positive[i] = isPositive(i, k) ? 1 : 0;
    }
    const curve = precisionRecallCurve(scores, positive, n);
    const step = Math.max(1, Math.ceil(curve.thresholds.length / CURVE_POINTS));
    const points = [];
    for (let p = 0; p < curve.thresholds.length; p += step)
      points.push({ threshold: curve.thresholds[p]!, precision: curve.precision[p]!, recall: curve.recall[p]! });
    return {
      class: name,
      averagePrecision: averagePrecision(curve),
      threshold: model.thresholds[k]!,
      positives: curve.positives,
      points,
    };
  });
  // Reliability of the top-class confidence (single-label) or of every label's probability (multi-label).
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (let i = 0; i < n; i++) {
    const ks = model.task === "single-label" ? [argmaxRow(proba, i, K)] : Array.from({ length: K }, (_, k) => k);
    for (const k of ks) {
      const p = proba[i * K + k]!;
      const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(p * CALIBRATION_BINS))]!;
      bin.count++;
      bin.confidence += p;
      bin.correct += isPositive(i, k) ? 1 : 0;
    }
  }
  const calibration = bins.map((b, i) => ({
    from: i / CALIBRATION_BINS,
    to: (i + 1) / CALIBRATION_BINS,
    count: b.count,
    confidence: b.count ? b.confidence / b.count : null,
    accuracy: b.count ? b.correct / b.count : null,
  }));
  return { macroF1, report, prCurves, calibration };
}
