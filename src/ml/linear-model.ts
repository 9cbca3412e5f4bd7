import { sigmoid, softmaxRowsInPlace } from "@/ml/softmax";
import { wasmLogits } from "@/ml/wasm-logits";

export type Task = "single-label" | "multi-label";

/**
 * A trained linear classifier. Weights live in standardized feature space; standardization is part of the model
 * so callers always pass raw featurizer vectors.
 */
export interface LinearModel {
  task: Task;
  classes: string[];
  /** Feature dimension. */
  dim: number;
  /** [K × dim] row-major, standardized space. */
  weights: Float32Array;
  /** [K] */
  bias: Float32Array;
  /** [dim] feature means subtracted before scaling. */
  mean: Float32Array;
  /** [dim] feature scales (std, floored) divided after centering. */
  scale: Float32Array;
  /** Logits are divided by this before softmax/sigmoid (temperature scaling); 1 = uncalibrated. */
  temperature: number;
}

/** Weights and bias folded into raw feature space: z = W'x + b'. Float64 for accumulation accuracy. */
export function effectiveWeights(model: LinearModel): { W: Float64Array /* [K × dim] */; b: Float64Array /* [K] */ } {
  const K = model.classes.length;
  const d = model.dim;
  const W = new Float64Array(K * d);
  const b = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let shift = 0;
    for (let j = 0; j < d; j++) {
      const w = model.weights[k * d + j]! / model.scale[j]!;
      W[k * d + j] = w;
      shift += w * model.mean[j]!;
    }
    b[k] = model.bias[k]! - shift;
  }
  return { W, b };
}

/** Which loop computes logits: "auto" is the WebAssembly SIMD kernel where the runtime has it. */
export type LogitsKernel = "auto" | "wasm" | "typescript";

/**
 * Raw (untempered) logits. X: [n × dim] → Float32Array [n × K]. Every prediction (scoring the pool, the playground,
 * the API, out-of-fold calibration) goes through here, so they all use the same kernel: WebAssembly f32x4
 * (src/ml/wasm-logits.ts, ~5× faster; error bound stated there) or the TypeScript f64 loop, the reference.
 */
export function computeLogits(
  model: LinearModel,
  X: Float32Array,
  n: number,
  kernel: LogitsKernel = "auto",
): Float32Array {
  const K = model.classes.length;
  const d = model.dim;
  if (X.length < n * d) throw new Error(`computeLogits: X has ${X.length} values, expected ${n} × ${d}`);
  const { W, b } = effectiveWeights(model);
  if (kernel !== "typescript") {
    const z = wasmLogits(W, b, K, d, X, n);
    if (z) return z;
    if (kernel === "wasm") throw new Error("computeLogits: the WebAssembly SIMD kernel is not available here");
  }
  const out = new Float32Array(n * K);
  const xr = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    for (let j = 0; j < d; j++) xr[j] = X[xo + j]!;
    for (let k = 0; k < K; k++) {
      const wo = k * d;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let j = 0;
      for (; j + 3 < d; j += 4) {
        s0 += W[wo + j]! * xr[j]!;
        s1 += W[wo + j + 1]! * xr[j + 1]!;
        s2 += W[wo + j + 2]! * xr[j + 2]!;
        s3 += W[wo + j + 3]! * xr[j + 3]!;
      }
      for (; j < d; j++) s0 += W[wo + j]! * xr[j]!;
      out[i * K + k] = b[k]! + s0 + s1 + s2 + s3;
    }
  }
  return out;
}

/** Turns logits [n × K] into probabilities in place, applying the temperature. NaN logits become uniform rows. */
export function logitsToProbaInPlace(
  logits: Float32Array,
  n: number,
  K: number,
  task: Task,
  temperature: number,
): Float32Array {
  const invT = 1 / temperature;
  for (let i = 0; i < n * K; i++) logits[i] = logits[i]! * invT;
  if (task === "single-label") {
    softmaxRowsInPlace(logits, n, K);
  } else {
    for (let i = 0; i < n * K; i++) {
      const z = logits[i]!;
      logits[i] = Number.isNaN(z) ? 0.5 : sigmoid(z);
    }
  }
  return logits;
}

/** Per-class probabilities [n × K]: softmax rows for single-label, independent sigmoids for multi-label. */
export function predictProba(model: LinearModel, X: Float32Array, n: number): Float32Array {
  return logitsToProbaInPlace(computeLogits(model, X, n), n, model.classes.length, model.task, model.temperature);
}

/** Index of the largest value in row i; ties go to the lowest index, so the answer is always a valid class. */
export function argmaxRow(P: ArrayLike<number>, i: number, K: number): number {
  let best = 0;
  let bestV = -Infinity;
  for (let k = 0; k < K; k++) {
    const v = P[i * K + k]!;
    if (v > bestV) {
      bestV = v;
      best = k;
    }
  }
  return best;
}

/** Single-label: argmax class index per row (always a valid class). */
export function predict(model: LinearModel, X: Float32Array, n: number): Int32Array {
  const K = model.classes.length;
  const P = predictProba(model, X, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = argmaxRow(P, i, K);
  return out;
}
