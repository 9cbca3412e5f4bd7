import { openRowKernelSession, type RowKernelCommand, type RowKernelSession } from "@/ml/row-kernel-thread";
import { rowKernelsWasmBase64 } from "@/ml/wasm/row-kernels-wasm";
import { align16, fixedWasmMemory, lazyWasmModule, WASM_MAX_BYTES } from "@/ml/wasm-module";

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
  /** Present when the shape asked for `softmax`: single-label residuals computed in the kernels, on both threads. */
  softmax: SoftmaxResiduals | null;
  /** Present when the shape asked for `sparseParams`: the n-gram rows of θ and of the gradient in f64, in the kernels. */
  sparseParams: SparseParams | null;
  /** Whether the rows are split in two halves (large problems), and whether a second thread runs the second half. */
  split: { threaded: boolean } | null;
  /** Lets the helper thread go (a later objective would take it over anyway). */
  dispose(): void;
}

/**
 * Single-label softmax residuals in WebAssembly (row-kernels.wat `residual`), run right after each half's forward
 * pass on the thread that computed it. The caller fills labels and rowWeight once and calls setOutputs.
 */
export interface SoftmaxResiduals {
  /** [n] class of each row. */
  labels: Int32Array;
  /** [n] row weights w_i. */
  rowWeight: Float64Array;
  /** Which outputs train (1) and the logit the others take. Padding lanes up to kp are fixed at ABSENT. */
  setOutputs(trainable: Uint8Array, fixedZ: Float64Array): void;
  /**
   * forward(), then z becomes the residuals w_i (softmax(z_i) − onehot(y_i)) (0 where an output does not train).
   * Fills rowMax, rowZy, rowSum (the loss of row i is w_i (max + log sum − z_y)) and writes Σ_i r_i into rsum [K].
   */
  forwardResiduals(rsum: Float64Array): void;
  rowMax: Float64Array;
  rowZy: Float64Array;
  rowSum: Float64Array;
}

/**
 * The n-gram block of θ and of the gradient in the optimizer's f64 layout [V × K], converted from / to the kernels'
 * f32 rows in WebAssembly, each half of the rows on its own thread (instead of JavaScript loops over millions of
 * parameters on the calling thread).
 */
export interface SparseParams {
  /** [V × K]: the caller copies θ's n-gram block here before packTheta(). */
  theta64: Float64Array;
  /** [V × K]: the n-gram block of the gradient after backwardAssemble(). */
  grad64: Float64Array;
  /** theta's rows d … d + V − 1 = theta64 rounded to f32. */
  packTheta(): void;
  /**
   * Zeroes grad and runs backward() (grad's d dense rows then hold the f32 sums of both halves), then
   * grad64 = G · invN + l2 · θ over the n-gram rows; returns Σ θ² over them.
   */
  backwardAssemble(invN: number, l2: number): number;
}

export interface RowKernelShape {
  n: number;
  d: number;
  /** Sparse columns (parameter rows after the d dense ones). */
  V: number;
  K: number;
  nnz: number;
  /** Lay out and run single-label softmax residuals in the kernels (`softmax` of RowKernels). Default false. */
  softmax?: boolean;
  /** Lay out the n-gram rows of θ and of the gradient in f64 (`sparseParams` of RowKernels). Default false. */
  sparseParams?: boolean;
  /** Split the rows in two halves, run on two threads where there are two cores: "auto" (default) above SPLIT_WORK. */
  split?: "auto" | "never" | "always";
}

/**
 * Multiply-adds per forward pass above which the rows are split in two: well above the ~0.1 ms of handing half to
 * the helper thread. The split depends only on the problem, never on the machine, so the sums (and the fitted model)
 * are the same with one core or two; only where the second half runs differs.
 */
export const SPLIT_WORK = 4_000_000;

/** Arguments of the WebAssembly forward (the helper thread reads the residual's after them). */
const FORWARD_ARGS = 10;
/** The logit of a padding lane (classes rounded up to kp): as an absent class, never contributing to a softmax. */
const PADDING_LOGIT = -1e4;

/** The compiled module, or null where this runtime lacks WebAssembly SIMD (the TypeScript loops then run). */
const rowKernelsModule = lazyWasmModule(rowKernelsWasmBase64);

/** Whether the WebAssembly kernels can run here. */
export function rowKernelsAvailable(): boolean {
  return rowKernelsModule() !== null;
}

/** e^x of each value through the kernels' f64 exp (the one the softmax residuals use), for tests; x ≤ 709. */
export function kernelExp(x: Float64Array): Float64Array {
  const mod = rowKernelsModule();
  if (!mod) throw new Error("kernelExp: WebAssembly SIMD is not available here");
  const m = x.length + (x.length % 2);
  const memory = fixedWasmMemory(16 + 2 * align16(m * 8), true);
  const expArray = new WebAssembly.Instance(mod, { env: { memory } }).exports.expArray as (
    src: number,
    dst: number,
    n: number,
  ) => void;
  const dst = 16 + align16(m * 8);
  new Float64Array(memory.buffer, 16, m).set(x);
  expArray(16, dst, m);
  return new Float64Array(memory.buffer, dst, x.length).slice();
}

/**
 * An instance sized for `shape`, or null when WebAssembly SIMD is missing or the rows do not fit in 4 GiB (without
 * `sparseParams` when only those would not fit).
 */
export function createRowKernels(shape: RowKernelShape): RowKernels | null {
  const mod = rowKernelsModule();
  if (!mod) return null;
  const { n, d, V, K, nnz } = shape;
  const kp = Math.max(4, Math.ceil(K / 4) * 4);
  const rowsP = d + V;
  const sm = shape.softmax ?? false;
  const sparseP = (shape.sparseParams ?? false) && V > 0;
  const work = n * (d + nnz / Math.max(n, 1)) * kp;
  const splitting = shape.split === "always" ? n >= 2 : shape.split === "never" ? false : work >= SPLIT_WORK && n >= 2;
  const sizes = {
    x: n * d * 4,
    indptr: (n + 1) * 4,
    cols: nnz * 4,
    vals: nnz * 4,
    theta: rowsP * kp * 4,
    bias: kp * 4,
    z: n * kp * 4,
    grad: rowsP * kp * 4,
    grad2: splitting ? rowsP * kp * 4 : 0,
    labels: sm ? n * 4 : 0,
    rowWeight: sm ? n * 8 : 0,
    keep: sm ? kp * 8 : 0,
    fixed: sm ? kp * 8 : 0,
    rowMax: sm ? n * 8 : 0,
    rowZy: sm ? n * 8 : 0,
    rowSum: sm ? n * 8 : 0,
    // Each half's class sums and f64 scratch row.
    rsum: sm ? 2 * kp * 8 : 0,
    scratch: sm ? 2 * kp * 8 : 0,
    theta64: sparseP ? V * K * 8 : 0,
    grad64: sparseP ? V * K * 8 : 0,
    // [invN, l2] and each half's Σ θ².
    scalars: sparseP ? 32 : 0,
  };
  const offsets: Record<keyof typeof sizes, number> = {
    x: 0,
    indptr: 0,
    cols: 0,
    vals: 0,
    theta: 0,
    bias: 0,
    z: 0,
    grad: 0,
    grad2: 0,
    labels: 0,
    rowWeight: 0,
    keep: 0,
    fixed: 0,
    rowMax: 0,
    rowZy: 0,
    rowSum: 0,
    rsum: 0,
    scratch: 0,
    theta64: 0,
    grad64: 0,
    scalars: 0,
  };
  let at = 16; // address 0 stays unused
  for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
    offsets[key] = at;
    at += align16(sizes[key]);
  }
  // The f64 n-gram blocks are a convenience: without them the kernels still fit where they did before.
  if (at > WASM_MAX_BYTES) return sparseP ? createRowKernels({ ...shape, sparseParams: false }) : null;
  // Shared: the helper thread works on the same memory.
  const memory = fixedWasmMemory(at, true);
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const buf = memory.buffer;
  const forward = instance.exports.forward as (...args: number[]) => void;
  const backward = instance.exports.backward as (...args: number[]) => void;
  const addInto = instance.exports.addInto as (dst: number, src: number, n: number) => void;
  const residual = instance.exports.residual as (...args: number[]) => void;
  const packTheta = instance.exports.packTheta as (...args: number[]) => void;
  const assembleGrad = instance.exports.assembleGrad as (...args: number[]) => void;
  const o = offsets;
  const indptr = new Int32Array(buf, o.indptr, n + 1);
  const grad2 = new Float32Array(buf, o.grad2, splitting ? rowsP * kp : 0);
  // Forward and backward over rows [a, b): x, indptr and z offset to row a (indptr's values stay absolute).
  const fwdArgs = (a: number, b: number) => [
    b - a,
    d,
    kp,
    o.x + a * d * 4,
    o.indptr + a * 4,
    o.cols,
    o.vals,
    o.theta,
    o.bias,
    o.z + a * kp * 4,
  ];
  const bwdArgs = (a: number, b: number, grad: number) => [
    b - a,
    d,
    kp,
    o.x + a * d * 4,
    o.indptr + a * 4,
    o.cols,
    o.vals,
    o.z + a * kp * 4,
    grad,
  ];
  // Residuals over rows [a, b) with half h's class sums and scratch row.
  const resArgs = (a: number, b: number, h: 0 | 1) => [
    b - a,
    kp,
    o.z + a * kp * 4,
    o.labels + a * 4,
    o.rowWeight + a * 8,
    o.keep,
    o.fixed,
    o.rowMax + a * 8,
    o.rowZy + a * 8,
    o.rowSum + a * 8,
    o.rsum + h * kp * 8,
    o.scratch + h * kp * 8,
  ];
  let at2 = 0;
  let session: RowKernelSession | null = null;
  if (splitting) {
    // Halves of equal work (dense multiply-adds plus non-zeros), found once the caller has filled indptr: lazily.
    session = openRowKernelSession(mod, memory);
  }
  const splitAt = (): number => {
    if (at2 > 0) return at2;
    const total = n * d + indptr[n]! - indptr[0]!;
    let i = 1;
    while (i < n - 1 && i * d + indptr[i]! - indptr[0]! < total / 2) i++;
    at2 = i;
    return at2;
  };
  const run = (kind: RowKernelCommand, own: number[], other: number[], local: (args: number[]) => void): void => {
    const started = session?.start(kind, other) ?? false;
    local(own);
    if (started) session!.finish();
    else local(other);
  };
  const fwdRes = (args: number[]): void => {
    forward(...args.slice(0, FORWARD_ARGS));
    residual(...args.slice(FORWARD_ARGS));
  };
  let softmax: SoftmaxResiduals | null = null;
  if (sm) {
    const rsumHalves = new Float64Array(buf, o.rsum, 2 * kp);
    const keep = new Int32Array(buf, o.keep, 2 * kp);
    const fixed = new Float64Array(buf, o.fixed, kp);
    softmax = {
      labels: new Int32Array(buf, o.labels, n),
      rowWeight: new Float64Array(buf, o.rowWeight, n),
      setOutputs(trainable, fixedZ) {
        for (let c = 0; c < kp; c++) {
          const on = c < K && trainable[c] === 1;
          keep[2 * c] = keep[2 * c + 1] = on ? -1 : 0;
          fixed[c] = on ? 0 : c < K ? fixedZ[c]! : PADDING_LOGIT;
        }
      },
      forwardResiduals(rsum) {
        if (!splitting) {
          fwdRes([...fwdArgs(0, n), ...resArgs(0, n, 0)]);
          for (let c = 0; c < K; c++) rsum[c] = rsumHalves[c]!;
          return;
        }
        const h = splitAt();
        run(
          "forwardResiduals",
          [...fwdArgs(0, h), ...resArgs(0, h, 0)],
          [...fwdArgs(h, n), ...resArgs(h, n, 1)],
          fwdRes,
        );
        for (let c = 0; c < K; c++) rsum[c] = rsumHalves[c]! + rsumHalves[kp + c]!;
      },
      rowMax: new Float64Array(buf, o.rowMax, n),
      rowZy: new Float64Array(buf, o.rowZy, n),
      rowSum: new Float64Array(buf, o.rowSum, n),
    };
  }
  let sparseParams: SparseParams | null = null;
  if (sparseP) {
    const scalars = new Float64Array(buf, o.scalars, 4);
    const vh = V >> 1;
    // n-gram rows [a, b): pack and assemble arguments (the second thread's Σ θ² goes to scalars[3]).
    const packArgs = (a: number, b: number) => [o.theta + (d + a) * kp * 4, o.theta64 + a * K * 8, b - a, K, kp];
    const assembleArgs = (a: number, b: number, h: 0 | 1) => [
      o.grad64 + a * K * 8,
      o.grad + (d + a) * kp * 4,
      splitting ? o.grad2 + (d + a) * kp * 4 : 0,
      o.theta64 + a * K * 8,
      b - a,
      K,
      kp,
      o.scalars,
      o.scalars + (2 + h) * 8,
    ];
    sparseParams = {
      theta64: new Float64Array(buf, o.theta64, V * K),
      grad64: new Float64Array(buf, o.grad64, V * K),
      packTheta: () => {
        if (!splitting) return packTheta(...packArgs(0, V));
        run("packTheta", packArgs(0, vh), packArgs(vh, V), (args) => packTheta(...args));
      },
      backwardAssemble: (invN, l2) => {
        scalars[0] = invN;
        scalars[1] = l2;
        scalars[3] = 0;
        kernels.grad.fill(0);
        if (!splitting) {
          backward(...bwdArgs(0, n, o.grad));
          assembleGrad(...assembleArgs(0, V, 0));
          return scalars[2]!;
        }
        const h = splitAt();
        grad2.fill(0);
        run("backward", bwdArgs(0, h, o.grad), bwdArgs(h, n, o.grad2), (args) => backward(...args));
        // Only the dense rows are added here; the n-gram rows add the second half's sums as they assemble.
        addInto(o.grad, o.grad2, d * kp);
        run("assembleGrad", assembleArgs(0, vh, 0), assembleArgs(vh, V, 1), (args) => assembleGrad(...args));
        return scalars[2]! + scalars[3]!;
      },
    };
  }
  const kernels: RowKernels = {
    kp,
    x: new Float32Array(buf, o.x, n * d),
    indptr,
    cols: new Int32Array(buf, o.cols, nnz),
    vals: new Float32Array(buf, o.vals, nnz),
    theta: new Float32Array(buf, o.theta, rowsP * kp),
    bias: new Float32Array(buf, o.bias, kp),
    z: new Float32Array(buf, o.z, n * kp),
    grad: new Float32Array(buf, o.grad, rowsP * kp),
    softmax,
    sparseParams,
    forward: () => {
      if (!splitting) return forward(...fwdArgs(0, n));
      const h = splitAt();
      run("forward", fwdArgs(0, h), fwdArgs(h, n), (args) => forward(...args));
    },
    backward: () => {
      if (!splitting) return backward(...bwdArgs(0, n, o.grad));
      const h = splitAt();
      grad2.fill(0);
      run("backward", bwdArgs(0, h, o.grad), bwdArgs(h, n, o.grad2), (args) => backward(...args));
      addInto(o.grad, o.grad2, rowsP * kp);
    },
    // Not splitAt(): read before the caller fills indptr, it would fix the halves on an empty matrix.
    get split() {
      return splitting ? { threaded: session !== null } : null;
    },
    dispose: () => {
      session?.release();
      session = null;
    },
  };
  return kernels;
}
