import { choleskySolveWasmBase64 } from "@/ml/wasm/cholesky-solve-wasm";
import { align16, lazyWasmModule, WASM_MAX_BYTES, WASM_PAGE } from "@/ml/wasm-module";
import { wasmSecondMoments } from "@/ml/wasm-logistic-kernel";

// Rows of the sample the preconditioner's second moments come from (evenly spaced, so the result is deterministic).
const PRECONDITION_ROWS = 4096;

/**
 * The per-class block of an approximate Hessian, C + δI, where C = E[z zᵀ] over z = [standardized row, 1]: the
 * curvature of a logistic loss is a weighted version of it, so its inverse undoes most of the ill-conditioning that
 * correlated features (embeddings) cause. δ stands in for the L2 term relative to a typical p(1 − p) of 1/4.
 * Acts on the first K·d + K entries of v (W, then b). The second moments (the same bits either way) and the two
 * triangular solves per class run in WebAssembly where the runtime has SIMD ("auto"); "typescript" is the reference.
 */
export function buildPreconditioner(
  X: Float32Array,
  n: number,
  d: number,
  K: number,
  mean: Float32Array,
  scale: Float32Array,
  l2: number,
  delta = 4 * l2 + 1e-3,
  kernel: "auto" | "wasm" | "typescript" = "auto",
): (v: Float64Array) => void {
  const q = d + 1;
  const rows = Math.min(n, PRECONDITION_ROWS);
  const wasmC = kernel === "typescript" ? null : wasmSecondMoments(X, n, d, rows, mean, scale);
  if (!wasmC && kernel === "wasm")
    throw new Error("buildPreconditioner: the WebAssembly SIMD second moments are not available here");
  const C = wasmC ?? secondMoments(X, n, d, rows, mean, scale);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b <= a; b++) C[a * q + b] = C[a * q + b]! / rows;
    C[a * q + a] = C[a * q + a]! + delta;
  }
  // Cholesky, lower triangle in place (C + δI is positive definite).
  for (let j = 0; j < q; j++) {
    let diag = C[j * q + j]!;
    for (let k = 0; k < j; k++) diag -= C[j * q + k]! ** 2;
    const ljj = Math.sqrt(Math.max(diag, 1e-12));
    C[j * q + j] = ljj;
    for (let i = j + 1; i < q; i++) {
      let sum = C[i * q + j]!;
      for (let k = 0; k < j; k++) sum -= C[i * q + k]! * C[j * q + k]!;
      C[i * q + j] = sum / ljj;
    }
  }
  const t = new Float64Array(q);
  const typescript = (v: Float64Array): void => {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) t[j] = v[k * d + j]!;
      t[d] = v[K * d + k]!;
      // Solve L y = t, then Lᵀ x = y.
      for (let i = 0; i < q; i++) {
        let sum = t[i]!;
        for (let c = 0; c < i; c++) sum -= C[i * q + c]! * t[c]!;
        t[i] = sum / C[i * q + i]!;
      }
      for (let i = q - 1; i >= 0; i--) {
        let sum = t[i]!;
        for (let c = i + 1; c < q; c++) sum -= C[c * q + i]! * t[c]!;
        t[i] = sum / C[i * q + i]!;
      }
      for (let j = 0; j < d; j++) v[k * d + j] = t[j]!;
      v[K * d + k] = t[d]!;
    }
  };
  if (kernel === "typescript") return typescript;
  const solver = wasmCholeskySolver(C, q, K);
  if (!solver) {
    if (kernel === "wasm") throw new Error("buildPreconditioner: the WebAssembly SIMD solves are not available here");
    return typescript;
  }
  const T = solver.T;
  return (v) => {
    for (let k = 0; k < K; k++) {
      T.set(v.subarray(k * d, k * d + d), k * q);
      T[k * q + d] = v[K * d + k]!;
    }
    solver.solve();
    for (let k = 0; k < K; k++) {
      v.set(T.subarray(k * q, k * q + d), k * d);
      v[K * d + k] = T[k * q + d]!;
    }
  };
}

/**
 * Σ z zᵀ over `rows` evenly spaced rows, z = [standardized row, 1]: the lower triangle of [q × q], q = d + 1. The
 * reference for wasmSecondMoments, which adds the same products in the same order.
 */
export function secondMoments(
  X: Float32Array,
  n: number,
  d: number,
  rows: number,
  mean: Float32Array,
  scale: Float32Array,
): Float64Array {
  const q = d + 1;
  const C = new Float64Array(q * q);
  const z = new Float64Array(q);
  z[d] = 1;
  for (let r = 0; r < rows; r++) {
    const i = Math.floor((r * n) / rows);
    for (let j = 0; j < d; j++) z[j] = (X[i * d + j]! - mean[j]!) / scale[j]!;
    for (let a = 0; a < q; a++) {
      const za = z[a]!;
      if (za === 0) continue;
      const row = a * q;
      for (let b = 0; b <= a; b++) C[row + b] = C[row + b]! + za * z[b]!;
    }
  }
  return C;
}

const choleskySolveModule = lazyWasmModule(choleskySolveWasmBase64);

/** The K solves in WebAssembly (src/ml/wasm/cholesky-solve.wat) on a copy of the factor, or null without SIMD. */
function wasmCholeskySolver(L: Float64Array, q: number, K: number): { T: Float64Array; solve(): void } | null {
  const mod = choleskySolveModule();
  if (!mod) return null;
  const matrixBytes = align16(q * q * 8);
  const at = { L: 16, U: 16 + matrixBytes, T: 16 + 2 * matrixBytes };
  const bytes = at.T + K * q * 8;
  if (bytes > WASM_MAX_BYTES) return null;
  const w = new WebAssembly.Instance(mod, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    solve(L: number, U: number, T: number, K: number, q: number): void;
  };
  const have = w.memory.buffer.byteLength / WASM_PAGE;
  const pages = Math.ceil(bytes / WASM_PAGE);
  if (pages > have) w.memory.grow(pages - have);
  const buf = w.memory.buffer;
  const Lw = new Float64Array(buf, at.L, q * q);
  const Uw = new Float64Array(buf, at.U, q * q);
  // L's upper triangle is zero (only b ≤ a was ever written); U is its transpose.
  for (let i = 0; i < q; i++)
    for (let c = 0; c <= i; c++) {
      Lw[i * q + c] = L[i * q + c]!;
      Uw[c * q + i] = L[i * q + c]!;
    }
  return { T: new Float64Array(buf, at.T, K * q), solve: () => w.solve(at.L, at.U, at.T, K, q) };
}
