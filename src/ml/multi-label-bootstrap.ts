import { createRng } from "@/ml/rng";

/**
 * Macro-F1 of a multi-label prediction from per-label counts, as `evaluateMultiLabel` averages it: the mean F1 over
 * labels that occur in the truth or the predictions.
 */
function macroF1FromCounts(tp: Float64Array, fp: Float64Array, fn: Float64Array): number {
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

/**
 * Paired bootstrap of the macro-F1 difference (B − A) of two multi-label predictions on the same rows: rows are
 * resampled with replacement and both predictions scored on each resample. Y, YA, YB: [n × K] 0/1.
 */
export function multiLabelMacroF1Diff(
  Y: ArrayLike<number>, YA: ArrayLike<number>, YB: ArrayLike<number>, n: number, K: number,
  options: { seed?: number; resamples?: number } = {},
): { estimate: number; ci95: [number, number]; resamples: number } {
  const resamples = options.resamples ?? 1000;
  const rng = createRng(options.seed ?? 0);
  const counts = () => ({ tp: new Float64Array(K), fp: new Float64Array(K), fn: new Float64Array(K) });
  const a = counts();
  const b = counts();
  const add = (c: ReturnType<typeof counts>, M: ArrayLike<number>, i: number) => {
    for (let k = 0; k < K; k++) {
      const t = Y[i * K + k] ? 1 : 0;
      const p = M[i * K + k] ? 1 : 0;
      if (t && p) c.tp[k]! += 1;
      else if (p) c.fp[k]! += 1;
      else if (t) c.fn[k]! += 1;
    }
  };
  const reset = (c: ReturnType<typeof counts>) => { c.tp.fill(0); c.fp.fill(0); c.fn.fill(0); };
  for (let i = 0; i < n; i++) { add(a, YA, i); add(b, YB, i); }
  const estimate = macroF1FromCounts(b.tp, b.fp, b.fn) - macroF1FromCounts(a.tp, a.fp, a.fn);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    reset(a); reset(b);
    for (let t = 0; t < n; t++) {
      const i = rng.int(n);
      add(a, YA, i);
      add(b, YB, i);
    }
    diffs[r] = macroF1FromCounts(b.tp, b.fp, b.fn) - macroF1FromCounts(a.tp, a.fp, a.fn);
  }
  diffs.sort();
  const q = (p: number): number => (resamples > 0 ? diffs[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))]! : NaN);
  return { estimate, ci95: [q(0.025), q(0.975)], resamples };
}
