import type { LogisticWasm } from "@/ml/wasm-logistic-kernel";

/** The logistic objective's inputs and per-block outputs (SharedArrayBuffer-backed when helper threads read them). */
export interface LogisticKernelData {
  /** [n × d] raw features. */
  X: Float32Array;
  n: number;
  d: number;
  K: number;
  blocks: number;
  /** [K × d] effective weights on raw features and [K] biases, rewritten before every evaluation. */
  W: Float64Array;
  b: Float64Array;
  /** Untrainable outputs (trainable[k] = 0) take the fixed logit fixedZ[k] and add nothing to the gradient. */
  trainable: Uint8Array;
  fixedZ: Float64Array;
  /** Softmax targets [n] with sample weights [n], or one-vs-rest targets [n × K] with per-output weights [K]. */
  y: Int32Array | null;
  w1: Float64Array | null;
  Y: Uint8Array | null;
  wPos: Float64Array | null;
  wNeg: Float64Array | null;
  /** Per block: Σ r·x [K × d], Σ r [K] (r the weighted residual p − target) and the weighted loss sum. */
  partG: Float64Array;
  partR: Float64Array;
  partL: Float64Array;
  /**
   * The WebAssembly kernel's memory holding a copy of the rows (src/ml/wasm-logistic-kernel.ts): when set, blocks run
   * through runLogisticBlockWasm (same bits) and X is not read.
   */
  wasm: LogisticWasm | null;
}

/**
 * Rows are summed in fixed blocks whose partial sums are added in block order, so the result depends on n only —
 * the same bits whether the blocks run in one thread or several. Blocks of ≥ 512 rows, up to 64 of them: threads
 * claim blocks as they finish, so many small blocks keep both cores busy when a third process takes one of them for a
 * while (10k × 200 × 77 per evaluation on 2 threads at load 10: 150 ms with 3 blocks, 123 ms with 20).
 */
export function logisticBlocks(n: number): number {
  return Math.max(1, Math.min(64, Math.ceil(n / 512)));
}

/**
 * The inner loop of the logistic-regression objective: block `blk`'s partial sums, for softmax (y given) or
 * one-vs-rest sigmoid outputs (Y given). Self-contained on purpose — no imports, no calls to other functions of
 * this module — so that helper threads run its source unchanged over shared memory. z: scratch [K].
 */
export function runLogisticBlock(data: LogisticKernelData, blk: number, z: Float64Array): void {
  const { X, n, d, K, blocks, W, b, trainable, fixedZ, y, w1, Y, wPos, wNeg } = data;
  const start = Math.floor((n * blk) / blocks);
  const end = Math.floor((n * (blk + 1)) / blocks);
  const G = data.partG.subarray(blk * K * d, (blk + 1) * K * d);
  const rsum = data.partR.subarray(blk * K, (blk + 1) * K);
  G.fill(0);
  rsum.fill(0);
  let loss = 0;
  const d4 = d - (d % 4);
  for (let i = start; i < end; i++) {
    const xo = i * d;
    for (let k = 0; k < K; k++) {
      if (trainable[k] === 0) {
        z[k] = fixedZ[k]!;
        continue;
      }
      const wo = k * d;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let j = 0;
      for (; j < d4; j += 4) {
        s0 += W[wo + j]! * X[xo + j]!;
        s1 += W[wo + j + 1]! * X[xo + j + 1]!;
        s2 += W[wo + j + 2]! * X[xo + j + 2]!;
        s3 += W[wo + j + 3]! * X[xo + j + 3]!;
      }
      for (; j < d; j++) s0 += W[wo + j]! * X[xo + j]!;
      z[k] = b[k]! + s0 + s1 + s2 + s3;
    }
    if (y !== null) {
      const wi = w1![i]!;
      const yi = y[i]!;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (z[k]! > max) max = z[k]!;
      let sum = 0;
      const zy = z[yi]!;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(z[k]! - max);
        z[k] = e;
        sum += e;
      }
      loss += wi * (max + Math.log(sum) - zy);
      for (let k = 0; k < K; k++) z[k] = wi * (z[k]! / sum - (k === yi ? 1 : 0));
    } else {
      for (let k = 0; k < K; k++) {
        if (trainable[k] === 0) {
          z[k] = 0;
          continue;
        }
        const pos = Y![i * K + k] === 1;
        const wk = pos ? wPos![k]! : wNeg![k]!;
        const zk = z[k]!;
        // softplus(−z) for a positive, softplus(z) for a negative, without overflow.
        const m = pos ? -zk : zk;
        loss += wk * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
        const p = zk >= 0 ? 1 / (1 + Math.exp(-zk)) : Math.exp(zk) / (1 + Math.exp(zk));
        z[k] = wk * (p - (pos ? 1 : 0));
      }
    }
    for (let k = 0; k < K; k++) {
      const rk = z[k]!;
      if (rk === 0 || trainable[k] === 0) continue;
      rsum[k] = rsum[k]! + rk;
      const wo = k * d;
      let j = 0;
      for (; j < d4; j += 4) {
        G[wo + j] = G[wo + j]! + rk * X[xo + j]!;
        G[wo + j + 1] = G[wo + j + 1]! + rk * X[xo + j + 1]!;
        G[wo + j + 2] = G[wo + j + 2]! + rk * X[xo + j + 2]!;
        G[wo + j + 3] = G[wo + j + 3]! + rk * X[xo + j + 3]!;
      }
      for (; j < d; j++) G[wo + j] = G[wo + j]! + rk * X[xo + j]!;
    }
  }
  data.partL[blk] = loss;
}
