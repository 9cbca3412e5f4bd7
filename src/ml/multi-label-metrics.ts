import { classMetricsFromCounts, f1Of, type Averages, type ClassMetrics } from "@/ml/metrics";
import { averagePrecision, precisionRecallCurve } from "@/ml/precision-recall-curve";

export interface MultiLabelReport {
  n: number;
  /** Share of rows whose predicted label set equals the true set exactly. */
  subsetAccuracy: number;
  /** Share of (row, label) cells predicted wrongly. */
  hammingLoss: number;
  perClass: ClassMetrics[];
  micro: Averages;
  /** Mean over labels occurring in truth or predictions. */
  macro: Averages;
  /** Macro average precision over labels with positives; NaN without probabilities. */
  prAuc: number;
}

/** Y, Yhat: [n × K] 0/1; probs optional [n × K]. */
export function evaluateMultiLabel(
  Y: ArrayLike<number>,
  Yhat: ArrayLike<number>,
  n: number,
  classes: string[],
  probs?: ArrayLike<number>,
): MultiLabelReport {
  const K = classes.length;
  let exact = 0;
  let wrong = 0;
  const tp = new Float64Array(K),
    fp = new Float64Array(K),
    fn = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let same = true;
    for (let k = 0; k < K; k++) {
      const t = Y[i * K + k] ? 1 : 0;
      const p = Yhat[i * K + k] ? 1 : 0;
      if (t !== p) {
        same = false;
        wrong++;
      }
      if (t && p) tp[k]! += 1;
      else if (p) fp[k]! += 1;
      else if (t) fn[k]! += 1;
    }
    if (same) exact++;
  }
  const perClass: ClassMetrics[] = [];
  let sp = 0,
    sr = 0,
    sf = 0,
    cnt = 0,
    TP = 0,
    FP = 0,
    FN = 0,
    apSum = 0,
    apCount = 0;
  const isPos = new Uint8Array(n);
  const score = new Float64Array(n);
  for (let k = 0; k < K; k++) {
    const m = classMetricsFromCounts(classes[k]!, tp[k]!, fp[k]!, fn[k]!, n - tp[k]! - fp[k]! - fn[k]!);
    if (probs) {
      for (let i = 0; i < n; i++) {
        isPos[i] = Y[i * K + k] ? 1 : 0;
        score[i] = probs[i * K + k]!;
      }
      m.averagePrecision = averagePrecision(precisionRecallCurve(score, isPos, n));
      if (!Number.isNaN(m.averagePrecision)) {
        apSum += m.averagePrecision;
        apCount++;
      }
    }
    perClass.push(m);
    TP += tp[k]!;
    FP += fp[k]!;
    FN += fn[k]!;
    if (m.support > 0 || m.predicted > 0) {
      sp += m.precision;
      sr += m.recall;
      sf += m.f1;
      cnt++;
    }
  }
  const mp = TP + FP > 0 ? TP / (TP + FP) : 0;
  const mr = TP + FN > 0 ? TP / (TP + FN) : 0;
  return {
    n,
    subsetAccuracy: n > 0 ? exact / n : 0,
    hammingLoss: n * K > 0 ? wrong / (n * K) : 0,
    perClass,
    micro: { precision: mp, recall: mr, f1: f1Of(mp, mr) },
    macro: cnt > 0 ? { precision: sp / cnt, recall: sr / cnt, f1: sf / cnt } : { precision: 0, recall: 0, f1: 0 },
    prAuc: apCount > 0 ? apSum / apCount : NaN,
  };
}
