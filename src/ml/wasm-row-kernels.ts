import { rowKernelsWasmBase64 } from "@/ml/wasm/row-kernels-wasm";

/**
 * The hybrid objective's two row loops (logits from features, gradient from residuals) in WebAssembly with 4-lane
 * f32 SIMD (source: src/ml/wasm/row-kernels.wat). One instance per objective owns a memory laid out for its rows;
 * the caller fills the typed-array views, calls forward / backward, and reads z / grad.
 */
export interface RowKernels {
  /** Classes rounded up to a multiple of 4: the width of every θ, bias, z and grad row. */
  kp: number;
  /** [n × d] standardized dense features. */
  x: Float32Array;
  indptr: Int32Array;
  /** Parameter row of each non-zero (d + sparse column). */
  cols: Int32Array;
  /** Non-zero values, block weight applied. */
  vals: Float32Array;
  /** [(d + V) × kp] */
  theta: Float32Array;
  /** [kp] */
  bias: Float32Array;
  /** [n × kp]: logits after forward(); the caller overwrites them with residuals before backward(). */
  z: Float32Array;
  /** [(d + V) × kp]: backward() adds into it (zero it first). */
  grad: Float32Array;
  forward(): void;
  backward(): void;
}

export interface RowKernelShape {
  n: number;
  d: number;
  /** Sparse columns (parameter rows after the d dense ones). */
  V: number;
  K: number;
  nnz: number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime lacks WebAssembly SIMD (the TypeScript loops then run). */
function rowKernelsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(rowKernelsWasmBase64), (c) => c.charCodeAt(0));
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether the WebAssembly kernels can run here. */
export function rowKernelsAvailable(): boolean {
  return rowKernelsModule() !== null;
}

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
const WASM_PAGE = 65536;
/** wasm32 addresses 4 GiB; beyond this the TypeScript loops are used. */
const MAX_BYTES = 4 * 1024 ** 3 - WASM_PAGE;

/** An instance sized for `shape`, or null when WebAssembly SIMD is missing or the rows do not fit in 4 GiB. */
export function createRowKernels(shape: RowKernelShape): RowKernels | null {
  const mod = rowKernelsModule();
  if (!mod) return null;
  const { n, d, V, K, nnz } = shape;
  const kp = Math.max(4, Math.ceil(K / 4) * 4);
  const rowsP = d + V;
  const sizes = { x: n * d * 4, indptr: (n + 1) * 4, cols: nnz * 4, vals: nnz * 4, theta: rowsP * kp * 4, bias: kp * 4, z: n * kp * 4, grad: rowsP * kp * 4 };
  const offsets: Record<keyof typeof sizes, number> = { x: 0, indptr: 0, cols: 0, vals: 0, theta: 0, bias: 0, z: 0, grad: 0 };
  let at = 16; // address 0 stays unused
  for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) { offsets[key] = at; at += align(sizes[key]); }
  if (at > MAX_BYTES) return null;
  const instance = new WebAssembly.Instance(mod, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const pages = Math.ceil(at / WASM_PAGE);
  const have = memory.buffer.byteLength / WASM_PAGE;
  if (pages > have) memory.grow(pages - have);
  const buf = memory.buffer;
  const forward = instance.exports.forward as (...args: number[]) => void;
  const backward = instance.exports.backward as (...args: number[]) => void;
  const o = offsets;
  return {
    kp,
    x: new Float32Array(buf, o.x, n * d),
    indptr: new Int32Array(buf, o.indptr, n + 1),
    cols: new Int32Array(buf, o.cols, nnz),
    vals: new Float32Array(buf, o.vals, nnz),
    theta: new Float32Array(buf, o.theta, rowsP * kp),
    bias: new Float32Array(buf, o.bias, kp),
    z: new Float32Array(buf, o.z, n * kp),
    grad: new Float32Array(buf, o.grad, rowsP * kp),
    forward: () => forward(n, d, kp, o.x, o.indptr, o.cols, o.vals, o.theta, o.bias, o.z),
    backward: () => backward(n, d, kp, o.x, o.indptr, o.cols, o.vals, o.z, o.grad),
  };
}
