/**
 * Precision–recall curve of a score against binary truth, thresholds descending (one point per distinct score).
 * Point t means "predict positive when score ≥ thresholds[t]".
 */
export interface PrecisionRecallCurve {
  thresholds: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  /** Number of positives in the data. */
  positives: number;
}

export function precisionRecallCurve(
  scores: ArrayLike<number>,
  isPositive: ArrayLike<number | boolean>,
  n: number = scores.length,
): PrecisionRecallCurve {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = (i: number): number => {
    const v = scores[i]!;
    return Number.isNaN(v) ? -Infinity : v;
  };
  order.sort((a, b) => s(b) - s(a) || a - b);
  let positives = 0;
  for (let i = 0; i < n; i++) if (isPositive[i]) positives++;
  const th: number[] = [];
  const pr: number[] = [];
  const rc: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (isPositive[i]) tp++;
    else fp++;
    const next = r + 1 < n ? s(order[r + 1]!) : NaN;
    if (next !== s(i)) {
      th.push(s(i));
      pr.push(tp / (tp + fp));
      rc.push(positives > 0 ? tp / positives : 0);
    }
  }
  return {
    thresholds: Float64Array.from(th),
    precision: Float64Array.from(pr),
    recall: Float64Array.from(rc),
    positives,
  };
}

/** Average precision (step-wise PR-AUC, as scikit-learn): Σ (R_t − R_{t−1}) · P_t. NaN when there are no positives. */
export function averagePrecision(curve: PrecisionRecallCurve): number {
  if (curve.positives === 0) return NaN;
  let ap = 0;
  let prevR = 0;
  for (let t = 0; t < curve.thresholds.length; t++) {
    ap += (curve.recall[t]! - prevR) * curve.precision[t]!;
    prevR = curve.recall[t]!;
  }
  return ap;
}

/**
 * Threshold meeting a target: for { precision }, the lowest threshold whose precision ≥ target (most recall);
 * for { recall }, the highest threshold whose recall ≥ target (most precision). null if unreachable.
 */
export function thresholdForTarget(
  curve: PrecisionRecallCurve,
  target: { precision: number } | { recall: number },
): number | null {
  const m = curve.thresholds.length;
  if ("precision" in target) {
    for (let t = m - 1; t >= 0; t--) if (curve.precision[t]! >= target.precision) return curve.thresholds[t]!;
    return null;
  }
  for (let t = 0; t < m; t++) if (curve.recall[t]! >= target.recall) return curve.thresholds[t]!;
  return null;
}
