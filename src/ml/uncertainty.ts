import { hashUniform } from "@/ml/rng";

export type SingleLabelStrategy = "random" | "least-confidence" | "margin" | "entropy";
export type MultiLabelStrategy = "random" | "threshold-margin" | "threshold-margin-mean";
export type Strategy = SingleLabelStrategy | MultiLabelStrategy;

export interface ScoreChunkOptions {
  /** Seed for "random" (priority = hash(seed, offset + i), so chunking does not change the order). */
  seed?: number;
  /** Global index of the chunk's first row. */
  offset?: number;
  /** "threshold-margin" and "threshold-margin-mean": per-label decision thresholds [K] (default 0.5). */
  thresholds?: ArrayLike<number>;
  /** Reuse an output buffer of length ≥ n. */
  out?: Float32Array;
}

/**
 * Priority (higher = ask a human first) for a chunk of predicted probabilities, no per-row allocation.
 * probs: Float32Array [n × K] row-major. Returns Float32Array [n] in [0, 1]:
 * - least-confidence: 1 − max p
 * - margin: 1 − (p₁ − p₂), p₁ ≥ p₂ the two largest
 * - entropy: −Σ p log p / log K
 * - threshold-margin (multi-label): 1 − min_k |p_k − t_k| / max(t_k, 1 − t_k), the label closest to its threshold
 * - threshold-margin-mean (multi-label): the mean over labels of that closeness — items unsure on many labels at once
 * - random: seeded hash of the global index
 * Rows containing NaN get priority −1 (ranked last) so a broken vector never floods a batch.
 */
export function scoreChunk(
  probs: Float32Array,
  n: number,
  K: number,
  strategy: Strategy,
  options: ScoreChunkOptions = {},
): Float32Array {
  const out = options.out ?? new Float32Array(n);
  const offset = options.offset ?? 0;
  const logK = Math.log(K);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    if (strategy === "random") {
      out[i] = hashUniform(options.seed ?? 0, offset + i);
      continue;
    }
    let bad = false;
    for (let k = 0; k < K; k++)
      if (Number.isNaN(probs[o + k]!)) {
        bad = true;
        break;
      }
    if (bad) {
      out[i] = -1;
      continue;
    }
    switch (strategy) {
      case "least-confidence": {
        let max = 0;
        for (let k = 0; k < K; k++) if (probs[o + k]! > max) max = probs[o + k]!;
        out[i] = 1 - max;
        break;
      }
      case "margin": {
        let p1 = -Infinity,
          p2 = -Infinity;
        for (let k = 0; k < K; k++) {
          const p = probs[o + k]!;
          if (p > p1) {
            p2 = p1;
            p1 = p;
          } else if (p > p2) p2 = p;
        }
        out[i] = K < 2 ? 0 : 1 - (p1 - p2);
        break;
      }
      case "entropy": {
        let h = 0;
        for (let k = 0; k < K; k++) {
          const p = probs[o + k]!;
          if (p > 0) h -= p * Math.log(p);
        }
        out[i] = K < 2 ? 0 : h / logK;
        break;
      }
      case "threshold-margin": {
        let best = Infinity;
        for (let k = 0; k < K; k++) {
          const t = options.thresholds ? options.thresholds[k]! : 0.5;
          const dist = Math.abs(probs[o + k]! - t) / Math.max(t, 1 - t);
          if (dist < best) best = dist;
        }
        out[i] = K < 1 ? 0 : 1 - best;
        break;
      }
      case "threshold-margin-mean": {
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const t = options.thresholds ? options.thresholds[k]! : 0.5;
          sum += Math.abs(probs[o + k]! - t) / Math.max(t, 1 - t);
        }
        out[i] = K < 1 ? 0 : 1 - sum / K;
        break;
      }
    }
  }
  return out;
}
