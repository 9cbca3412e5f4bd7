/**
 * Cosine similarity of one query vector with each row of X, written into out[0..n).
 * X is [n × dim] row-major; query is [dim]. Sums accumulate in float64. A zero row (or a zero query) has no direction:
 * its similarity is NaN, which top-k selection ignores.
 */
export function cosineSimilarities(
  query: Float32Array,
  X: Float32Array,
  n: number,
  dim: number,
  out: Float64Array,
): void {
  if (query.length < dim || X.length < n * dim || out.length < n)
    throw new Error(`cosineSimilarities: expected query[${dim}], X[${n}×${dim}], out[${n}]`);
  let qq = 0;
  for (let j = 0; j < dim; j++) qq += query[j]! * query[j]!;
  const qNorm = Math.sqrt(qq);
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    let dot = 0;
    let xx = 0;
    for (let j = 0; j < dim; j++) {
      const x = X[row + j]!;
      dot += x * query[j]!;
      xx += x * x;
    }
    const denominator = qNorm * Math.sqrt(xx);
    out[i] = denominator > 0 ? dot / denominator : Number.NaN;
  }
}
