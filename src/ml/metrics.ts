import { argmaxRow } from "@/ml/linear-model";
import { averagePrecision, precisionRecallCurve } from "@/ml/precision-recall-curve";

export interface ClassMetrics {
  label: string;
  support: number;
  predicted: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  /** fp / (fp + tn) */
  fpr: number;
  /** fn / (fn + tp) */
  fnr: number;
  /** Average precision of this class's probability (one-vs-rest); NaN without probabilities or positives. */
  averagePrecision: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface SingleLabelReport {
  n: number;
  accuracy: number;
  perClass: ClassMetrics[];
  /** Unweighted mean over classes that occur in truth or predictions (scikit-learn's default label set). */
  macro: Averages;
  micro: Averages;
  /** confusion[true][predicted] */
  confusion: number[][];
  /** Mean −log p(true class), probabilities clipped at 1e-15; NaN without probabilities. */
  logLoss: number;
  /** Expected calibration error of the top-class confidence, 15 equal-width bins; NaN without probabilities. */
  ece: number;
  /** Macro average precision (PR-AUC) over classes with positives; NaN without probabilities. */
  prAuc: number;
}

const div = (a: number, b: number): number => (b > 0 ? a / b : 0);
export const f1Of = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function classMetricsFromCounts(label: string, tp: number, fp: number, fn: number, tn: number): ClassMetrics {
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  return {
    label,
    support: tp + fn,
    predicted: tp + fp,
    tp,
    fp,
    fn,
    tn,
    precision,
    recall,
    f1: f1Of(precision, recall),
    fpr: div(fp, fp + tn),
    fnr: div(fn, fn + tp),
    averagePrecision: NaN,
  };
}

/** Confusion matrix [K × K] (row = truth) as a flat Int32Array. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, K: number): Int32Array {
  const C = new Int32Array(K * K);
  for (let i = 0; i < yTrue.length; i++) C[yTrue[i]! * K + yPred[i]!]! += 1;
  return C;
}

/** Macro F1 from a flat confusion matrix, over classes occurring in truth or predictions. */
export function macroF1FromConfusion(C: ArrayLike<number>, K: number): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < K; k++) {
    let tp = 0,
      rowSum = 0,
      colSum = 0;
    for (let j = 0; j < K; j++) {
      rowSum += C[k * K + j]!;
      colSum += C[j * K + k]!;
    }
    tp = C[k * K + k]!;
    if (rowSum === 0 && colSum === 0) continue;
    sum += f1Of(div(tp, colSum), div(tp, rowSum));
    count++;
  }
  return count > 0 ? sum / count : 0;
}

/** Expected calibration error of top-class confidence. probs [n × K]. */
export function expectedCalibrationError(
  probs: ArrayLike<number>,
  yTrue: ArrayLike<number>,
  n: number,
  K: number,
  bins = 15,
): number {
  if (n === 0) return NaN;
  const cnt = new Float64Array(bins);
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const k = argmaxRow(probs, i, K);
    const c = probs[i * K + k]!;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    cnt[b]! += 1;
    conf[b]! += c;
    if (k === yTrue[i]) acc[b]! += 1;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]! > 0) ece += Math.abs(acc[b]! - conf[b]!) / n;
  return ece;
}

/** Mean negative log-likelihood of the true class; probabilities clipped to [1e-15, 1]. */
export function logLoss(probs: ArrayLike<number>, yTrue: ArrayLike<number>, n: number, K: number): number {
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = probs[i * K + yTrue[i]!]!;
    s -= Math.log(Math.min(1, Math.max(1e-15, Number.isNaN(p) ? 0 : p)));
  }
  return s / n;
}

/** Full single-label report. yTrue, yPred: class indices; probs optional [n × K]. */
export function evaluateSingleLabel(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: string[],
  probs?: ArrayLike<number>,
): SingleLabelReport {
  const K = classes.length;
  const n = yTrue.length;
  if (yPred.length !== n) throw new Error("evaluateSingleLabel: yTrue and yPred differ in length");
  const C = confusionMatrix(yTrue, yPred, K);
  let correct = 0;
  for (let k = 0; k < K; k++) correct += C[k * K + k]!;
  const perClass: ClassMetrics[] = [];
  const macroSum = { precision: 0, recall: 0, f1: 0 };
  let macroCount = 0;
  const isPos = new Uint8Array(n);
  const score = new Float64Array(n);
  let apSum = 0;
  let apCount = 0;
  for (let k = 0; k < K; k++) {
    let rowSum = 0,
      colSum = 0;
    for (let j = 0; j < K; j++) {
      rowSum += C[k * K + j]!;
      colSum += C[j * K + k]!;
    }
    const tp = C[k * K + k]!;
    const m = classMetricsFromCounts(classes[k]!, tp, colSum - tp, rowSum - tp, n - rowSum - colSum + tp);
    if (probs) {
      for (let i = 0; i < n; i++) {
        isPos[i] = yTrue[i] === k ? 1 : 0;
        score[i] = probs[i * K + k]!;
      }
      m.averagePrecision = averagePrecision(precisionRecallCurve(score, isPos, n));
      if (!Number.isNaN(m.averagePrecision)) {
        apSum += m.averagePrecision;
        apCount++;
      }
    }
    perClass.push(m);
    if (rowSum > 0 || colSum > 0) {
      macroSum.precision += m.precision;
      macroSum.recall += m.recall;
      macroSum.f1 += m.f1;
      macroCount++;
    }
  }
  const acc = div(correct, n);
  const confusion: number[][] = [];
  for (let k = 0; k < K; k++) confusion.push(Array.from(C.subarray(k * K, (k + 1) * K)));
  return {
    n,
    accuracy: acc,
    perClass,
    macro: {
      precision: div(macroSum.precision, macroCount),
      recall: div(macroSum.recall, macroCount),
      f1: div(macroSum.f1, macroCount),
    },
    micro: { precision: acc, recall: acc, f1: acc },
    confusion,
    logLoss: probs ? logLoss(probs, yTrue, n, K) : NaN,
    ece: probs ? expectedCalibrationError(probs, yTrue, n, K) : NaN,
    prAuc: apCount > 0 ? apSum / apCount : NaN,
  };
}
