/**
 * Per-feature mean and standard deviation (float64 accumulation; a constant feature keeps scale 1). With
 * `priorRows` > 0 each variance is shrunk toward the mean variance over features, as if that many extra rows had
 * it: with a handful of rows a per-feature std is noise, and a tiny one would blow up unseen vectors.
 */
export function featureStandardization(
  X: Float32Array,
  n: number,
  d: number,
  priorRows = 0,
): { mean: Float32Array; scale: Float32Array } {
  const s = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j]!;
      s[j] = s[j]! + v;
      s2[j] = s2[j]! + v * v;
    }
  return standardizationFromSums(s, s2, n, d, priorRows);
}

/**
 * featureStandardization from the features' sums s and sums of squares s2 [d] over n rows (added row after row, as
 * above: the dense trainer gets them from its WebAssembly kernel's copy of the rows, the same bits).
 */
export function standardizationFromSums(
  s: Float64Array,
  s2: Float64Array,
  n: number,
  d: number,
  priorRows = 0,
): { mean: Float32Array; scale: Float32Array } {
  const mean = new Float32Array(d);
  const scale = new Float32Array(d).fill(1);
  const variance = new Float64Array(d);
  let pooled = 0;
  for (let j = 0; j < d; j++) {
    const m = s[j]! / n;
    mean[j] = m;
    variance[j] = Math.max(0, s2[j]! / n - m * m);
    pooled += variance[j]! / d;
  }
  for (let j = 0; j < d; j++) {
    const v = priorRows > 0 ? (n * variance[j]! + priorRows * pooled) / (n + priorRows) : variance[j]!;
    scale[j] = Math.sqrt(v) > 1e-8 ? Math.sqrt(v) : 1;
  }
  return { mean, scale };
}
