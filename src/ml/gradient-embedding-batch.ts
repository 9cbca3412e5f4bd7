import { createRng } from "@/ml/rng";

/**
 * BADGE's batch step for a softmax model (Ash et al., 2020): each candidate's gradient embedding is the gradient of
 * its log-loss with respect to the last layer's weights, if its predicted class ŷ were its label:
 * g = (p − onehot(ŷ)) ⊗ x, K·d values. Its norm grows with the model's uncertainty and with |x|, and two items'
 * embeddings are close when they would move the weights the same way. k-means++ seeding over the g's (the largest
 * first, then D² sampling) picks a batch that is both uncertain and diverse.
 * The embeddings are never built: ‖a ⊗ x − b ⊗ y‖² = ‖a‖²‖x‖² + ‖b‖²‖y‖² − 2 (a·b)(x·y), so a distance costs K + d.
 * P: Float32Array [m × K] predicted probabilities; X: Float32Array [m × d] the candidates' vectors.
 * Returns min(size, m) distinct candidate positions in pick order, deterministic by seed.
 */
export function gradientEmbeddingBatch(
  P: Float32Array,
  X: Float32Array,
  m: number,
  K: number,
  d: number,
  size: number,
  options: { seed: number },
): number[] {
  if (P.length < m * K || X.length < m * d)
    throw new Error(
      `gradientEmbeddingBatch: ${P.length} probabilities and ${X.length} vector values for ${m} rows (K ${K}, d ${d})`,
    );
  const k = Math.max(0, Math.min(size, m));
  if (k === 0) return [];
  // a_i = p_i − onehot(ŷ_i), kept as [m × K] float64.
  const A = new Float64Array(m * K);
  const aa = new Float64Array(m);
  const xx = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let top = 0;
    for (let c = 1; c < K; c++) if (P[i * K + c]! > P[i * K + top]!) top = c;
    let s = 0;
    for (let c = 0; c < K; c++) {
      const v = (Number.isFinite(P[i * K + c]!) ? P[i * K + c]! : 0) - (c === top ? 1 : 0);
      A[i * K + c] = v;
      s += v * v;
    }
    aa[i] = s;
    let t = 0;
    for (let j = 0; j < d; j++) t += X[i * d + j]! * X[i * d + j]!;
    xx[i] = t;
  }
  const dist2 = (i: number, c: number): number => {
    let ab = 0;
    for (let q = 0; q < K; q++) ab += A[i * K + q]! * A[c * K + q]!;
    let xy = 0;
    for (let j = 0; j < d; j++) xy += X[i * d + j]! * X[c * d + j]!;
    return Math.max(0, aa[i]! * xx[i]! + aa[c]! * xx[c]! - 2 * ab * xy);
  };
  const rng = createRng(options.seed);
  const chosen: number[] = [];
  const taken = new Uint8Array(m);
  const near = new Float64Array(m).fill(Infinity);
  const take = (c: number): void => {
    chosen.push(c);
    taken[c] = 1;
    for (let i = 0; i < m; i++)
      if (!taken[i]) {
        const v = dist2(i, c);
        if (v < near[i]!) near[i] = v;
      }
  };
  // The first centre is the largest gradient (BADGE's choice); ties go to the earlier, higher-priority candidate.
  let first = 0;
  for (let i = 1; i < m; i++) if (aa[i]! * xx[i]! > aa[first]! * xx[first]!) first = i;
  take(first);
  while (chosen.length < k) {
    let total = 0;
    for (let i = 0; i < m; i++) if (!taken[i]) total += near[i]!;
    let pick = -1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < m; i++)
        if (!taken[i]) {
          r -= near[i]!;
          if (r < 0) {
            pick = i;
            break;
          }
        }
    }
    // All remaining embeddings coincide with a centre (e.g. confident rows, g = 0): best-ranked remaining first.
    if (pick < 0)
      for (let i = 0; i < m; i++)
        if (!taken[i]) {
          pick = i;
          break;
        }
    take(pick);
  }
  return chosen;
}
