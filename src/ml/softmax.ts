/**
 * Numerically stable row-wise softmax, in place.
 * logits: Float32Array or Float64Array [n × K] row-major.
 */
export function softmaxRowsInPlace(logits: Float32Array | Float64Array, n: number, K: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let max = -Infinity;
    let nan = false;
    for (let k = 0; k < K; k++) {
      const v = logits[o + k]!;
      if (v > max) max = v;
      else if (Number.isNaN(v)) nan = true;
    }
    if (nan || !Number.isFinite(max)) {
      // NaN, +Infinity or all −Infinity: a uniform row keeps the output a distribution (and maximally "uncertain").
      for (let k = 0; k < K; k++) logits[o + k] = 1 / K;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[o + k]! - max);
      logits[o + k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) logits[o + k] = logits[o + k]! / sum;
  }
}

/** log(Σ exp(v[o..o+K))) computed stably. */
export function logSumExp(v: ArrayLike<number>, o: number, K: number): number {
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (v[o + k]! > max) max = v[o + k]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(v[o + k]! - max);
  return max + Math.log(sum);
}

/** Stable sigmoid. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Stable log(1 + exp(z)) (softplus); -log σ(z) = softplus(-z). */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
