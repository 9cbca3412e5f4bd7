import { createRng } from "@/ml/rng";

export interface BootstrapOptions {
  seed: number;
  resamples?: number;
}

export interface MacroF1Interval {
  estimate: number;
  ci95: [number, number];
}

/**
 * Macro-F1 from per-class counts, averaged over classes that occur in the truth or the predictions — exactly as
 * evaluateSingleLabel / evaluateMultiLabel average it (F1 = 2tp / (2tp + fp + fn) equals 2PR / (P + R)).
 */
function macroF1(tp: Float64Array, fp: Float64Array, fn: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < tp.length; k++) {
    const denominator = 2 * tp[k]! + fp[k]! + fn[k]!;
    if (denominator === 0) continue;
    sum += (2 * tp[k]!) / denominator;
    count++;
  }
  return count > 0 ? sum / count : 0;
}

// Percentile of a sorted sample (the same index rule as the A/B code always used).
function quantile(sorted: Float64Array, p: number): number {
  return sorted.length > 0
    ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))]!
    : Number.NaN;
}

/**
 * Seeded paired bootstrap of macro-F1 for one or more predictions of the same rows: each resample draws n rows with
 * replacement and scores every prediction on the same draw, so intervals of each model and of the difference
 * (last − first) come from one shared resampling. The one bootstrap of Margin: version metrics, the A/B page, the
 * promotion rule and the stopping signal all call it with the same seed rule, so the same inputs give the same
 * interval everywhere.
 *
 * truth and each prediction: [n × K] 0/1 (single-label: one-hot; an "other" column for classes a version does not know).
 */
export function bootstrapMacroF1(
  truth: Uint8Array,
  predictions: Uint8Array[],
  n: number,
  K: number,
  options: BootstrapOptions,
) {
  const resamples = options.resamples ?? 1000;
  const m = predictions.length;
  const tp = predictions.map(() => new Float64Array(K));
  const fp = predictions.map(() => new Float64Array(K));
  const fn = predictions.map(() => new Float64Array(K));
  const add = (j: number, i: number) => {
    const P = predictions[j]!;
    const base = i * K;
    for (let k = 0; k < K; k++) {
      const t = truth[base + k]!;
      const p = P[base + k]!;
      if (t && p) tp[j]![k]! += 1;
      else if (p) fp[j]![k]! += 1;
      else if (t) fn[j]![k]! += 1;
    }
  };
  const reset = () => {
    for (let j = 0; j < m; j++) {
      tp[j]!.fill(0);
      fp[j]!.fill(0);
      fn[j]!.fill(0);
    }
  };
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) add(j, i);
  const estimates = predictions.map((_, j) => macroF1(tp[j]!, fp[j]!, fn[j]!));
  const samples = predictions.map(() => new Float64Array(n > 0 ? resamples : 0));
  const diffs = new Float64Array(n > 0 && m > 1 ? resamples : 0);
  const rng = createRng(options.seed);
  if (n > 0) {
    for (let r = 0; r < resamples; r++) {
      reset();
      for (let t = 0; t < n; t++) {
        const i = rng.int(n);
        for (let j = 0; j < m; j++) add(j, i);
      }
      for (let j = 0; j < m; j++) samples[j]![r] = macroF1(tp[j]!, fp[j]!, fn[j]!);
      if (m > 1) diffs[r] = samples[m - 1]![r]! - samples[0]![r]!;
    }
  }
  const interval = (sample: Float64Array): [number, number] => {
    sample.sort();
    return n > 0 ? [quantile(sample, 0.025), quantile(sample, 0.975)] : [0, 1];
  };
  const perModel: MacroF1Interval[] = estimates.map((estimate, j) => ({ estimate, ci95: interval(samples[j]!) }));
  const difference =
    m > 1
      ? {
          estimate: estimates[m - 1]! - estimates[0]!,
          ci95: n > 0 ? interval(diffs) : ([-1, 1] as [number, number]),
          resamples,
        }
      : null;
  return { perModel, difference, resamples };
}

/** One-hot [n × K] rows of class indices (an index ≥ K is left all-zero: no class). */
export function oneHot(indices: ArrayLike<number>, K: number): Uint8Array {
  const M = new Uint8Array(indices.length * K);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (k >= 0 && k < K) M[i * K + k] = 1;
  }
  return M;
}
