import type { LogisticKernelData } from "@/ml/logistic-kernel";
import { logisticKernelsWasmBase64 } from "@/ml/wasm/logistic-kernels-wasm";
import { align16, fixedWasmMemory, lazyWasmModule, WASM_MAX_BYTES } from "@/ml/wasm-module";

/** The compiled module, or null where this runtime lacks WebAssembly SIMD (runLogisticBlock then runs). */
const logisticModule = lazyWasmModule(logisticKernelsWasmBase64);

/** Whether the WebAssembly objective kernel can run here. */
export function wasmLogisticAvailable(): boolean {
  return logisticModule() !== null;
}

/** Byte offsets of the kernel's arrays in its memory and their padded widths (see src/ml/wasm/logistic-kernels.wat). */
export interface LogisticWasmLayout {
  /** d rounded up to a multiple of 8, K rounded up to even, rows per tile. */
  dp: number;
  kp: number;
  tile: number;
  x: number;
  w: number;
  b: number;
  /** Block blk's gradient sums [kp × dp] f64 start at g + blk · kp · dp · 8. */
  g: number;
  /** The features' sums and sums of squares, [dp] f64 each (featureSums). */
  sums: number;
  /** Block blk's tile scratch (xs [tile × dp] then z [tile × kp], f64) starts at scratch + blk · scratchBytes. */
  scratch: number;
  scratchBytes: number;
}

/** The module, its memory (shared, so helper threads instantiate the same module on it) and the layout. */
export interface LogisticWasm {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  layout: LogisticWasmLayout;
}

/** One thread's instance of the kernel: the exports and an f64 view of the memory. */
export interface LogisticWasmContext {
  layout: LogisticWasmLayout;
  mem: Float64Array;
  widen: (x: number, xs: number, count: number) => void;
  forward: (xs: number, rows: number, dp: number, d: number, w: number, b: number, kp: number, z: number) => void;
  backward: (xs: number, rows: number, dp: number, r: number, kp: number, g: number, lower: number) => void;
}

// Rows per tile: the tile's widened rows (tile · dp · 8 bytes) stay in L2 between the logits and the gradient pass,
// and the gradient sums are loaded and stored once per tile.
const TILE = 32;

/**
 * The kernel's memory for an objective over X [n × d] with K outputs cut into `blocks` row blocks, with the rows
 * copied in once (padded to dp). Null when WebAssembly SIMD is missing or the rows would not fit in 4 GiB.
 */
export function createLogisticWasm(
  X: Float32Array,
  n: number,
  d: number,
  K: number,
  blocks: number,
): LogisticWasm | null {
  const compiled = logisticModule();
  if (!compiled || n <= 0 || d <= 0 || K <= 0) return null;
  const dp = Math.ceil(d / 8) * 8;
  const kp = Math.ceil(K / 2) * 2;
  const scratchBytes = align16(TILE * dp * 8) + align16(TILE * kp * 8);
  const x = 16; // address 0 stays unused
  const w = x + align16(n * dp * 4);
  const b = w + align16(kp * dp * 8);
  const g = b + align16(kp * 8);
  const sums = g + align16(blocks * kp * dp * 8);
  const scratch = sums + 2 * dp * 8;
  const end = scratch + blocks * scratchBytes;
  if (end > WASM_MAX_BYTES) return null;
  const memory = fixedWasmMemory(end, true);
  const rows = new Float32Array(memory.buffer, x, n * dp);
  if (dp === d) rows.set(X.subarray(0, n * d));
  else for (let i = 0; i < n; i++) rows.set(X.subarray(i * d, (i + 1) * d), i * dp);
  return { module: compiled, memory, layout: { dp, kp, tile: TILE, x, w, b, g, sums, scratch, scratchBytes } };
}

/** This thread's instance. Self-contained (no imports): helper threads run its source unchanged. */
export function logisticWasmContext(wasm: LogisticWasm): LogisticWasmContext {
  const exports = new WebAssembly.Instance(wasm.module, { env: { memory: wasm.memory } }).exports;
  return {
    layout: wasm.layout,
    mem: new Float64Array(wasm.memory.buffer),
    widen: exports.widen as LogisticWasmContext["widen"],
    forward: exports.forward as LogisticWasmContext["forward"],
    backward: exports.backward as LogisticWasmContext["backward"],
  };
}

/**
 * Σ_i x_ij and Σ_i x_ij² [d] over the kernel's copy of the rows, row after row like featureStandardization's loop (the
 * same bits): the standardization and, since a non-finite feature leaves its s2 non-finite, the finite check in one
 * SIMD pass instead of two scalar ones.
 */
export function wasmFeatureSums(wasm: LogisticWasm, n: number, d: number): { s: Float64Array; s2: Float64Array } {
  const { layout, memory } = wasm;
  const moments = new WebAssembly.Instance(wasm.module, { env: { memory } }).exports.moments as (
    x: number,
    n: number,
    dp: number,
    s: number,
    s2: number,
  ) => void;
  const s2At = layout.sums + layout.dp * 8;
  moments(layout.x, n, layout.dp, layout.sums, s2At);
  return {
    s: new Float64Array(memory.buffer, layout.sums, d).slice(),
    s2: new Float64Array(memory.buffer, s2At, d).slice(),
  };
}

/** Copies the evaluation's effective weights and biases (data.W, data.b) into the kernel's padded layout. */
export function loadLogisticWeights(data: LogisticKernelData, ctx: LogisticWasmContext): void {
  const { K, d, W, b } = data;
  const { mem, layout } = ctx;
  const w0 = layout.w / 8;
  const b0 = layout.b / 8;
  for (let k = 0; k < K; k++) {
    mem.set(W.subarray(k * d, (k + 1) * d), w0 + k * layout.dp);
    mem[b0 + k] = b[k]!;
  }
}

/**
 * runLogisticBlock with the row loops in WebAssembly: block `blk`'s partial sums (data.partG, partR, partL) for the
 * weights last loaded by loadLogisticWeights, the same bits as runLogisticBlock. Logits and gradient run a tile of
 * rows at a time in the module; the residuals (exp, log) stay here, in runLogisticBlock's arithmetic. Self-contained
 * (no imports, no calls to this module's functions) so that helper threads run its source unchanged.
 */
export function runLogisticBlockWasm(data: LogisticKernelData, ctx: LogisticWasmContext, blk: number): void {
  const { n, d, K, blocks, trainable, fixedZ, y, w1, Y, wPos, wNeg } = data;
  const { layout, mem, widen, forward, backward } = ctx;
  const { dp, kp, tile } = layout;
  const start = Math.floor((n * blk) / blocks);
  const end = Math.floor((n * (blk + 1)) / blocks);
  const gAt = layout.g + blk * kp * dp * 8;
  const xsAt = layout.scratch + blk * layout.scratchBytes;
  const zAt = xsAt + Math.ceil((tile * dp * 8) / 16) * 16;
  const g0 = gAt / 8;
  const z0 = zAt / 8;
  mem.fill(0, g0, g0 + kp * dp);
  const rsum = data.partR.subarray(blk * K, (blk + 1) * K);
  rsum.fill(0);
  let loss = 0;
  for (let i0 = start; i0 < end; i0 += tile) {
    const rows = Math.min(tile, end - i0);
    widen(layout.x + i0 * dp * 4, xsAt, rows * dp);
    forward(xsAt, rows, dp, d, layout.w, layout.b, kp, zAt);
    // Logits → weighted residuals in place; the gradient pass then reads them as r.
    for (let r = 0; r < rows; r++) {
      const i = i0 + r;
      const zo = z0 + r * kp;
      for (let k = 0; k < K; k++) if (trainable[k] === 0) mem[zo + k] = fixedZ[k]!;
      if (y !== null) {
        const wi = w1![i]!;
        const yi = y[i]!;
        let max = -Infinity;
        for (let k = 0; k < K; k++) if (mem[zo + k]! > max) max = mem[zo + k]!;
        let sum = 0;
        const zy = mem[zo + yi]!;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(mem[zo + k]! - max);
          mem[zo + k] = e;
          sum += e;
        }
        loss += wi * (max + Math.log(sum) - zy);
        for (let k = 0; k < K; k++) mem[zo + k] = wi * (mem[zo + k]! / sum - (k === yi ? 1 : 0));
      } else {
        for (let k = 0; k < K; k++) {
          if (trainable[k] === 0) {
            mem[zo + k] = 0;
            continue;
          }
          const pos = Y![i * K + k] === 1;
          const wk = pos ? wPos![k]! : wNeg![k]!;
          const zk = mem[zo + k]!;
          // softplus(−z) for a positive, softplus(z) for a negative, without overflow.
          const m = pos ? -zk : zk;
          loss += wk * (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m)));
          const p = zk >= 0 ? 1 / (1 + Math.exp(-zk)) : Math.exp(zk) / (1 + Math.exp(zk));
          mem[zo + k] = wk * (p - (pos ? 1 : 0));
        }
      }
      for (let k = 0; k < K; k++) {
        if (trainable[k] === 0) {
          mem[zo + k] = 0;
          continue;
        }
        const rk = mem[zo + k]!;
        if (rk !== 0) rsum[k] = rsum[k]! + rk;
      }
      for (let k = K; k < kp; k++) mem[zo + k] = 0;
    }
    backward(xsAt, rows, dp, zAt, kp, gAt, 0);
  }
  data.partL[blk] = loss;
  const G = data.partG;
  const go = blk * K * d;
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) G[go + k * d + j] = mem[g0 + k * dp + j]!;
}

// Sample rows per call of the second-moments pass: the sums [q × q] are loaded and stored once per tile.
const MOMENT_TILE = 128;

/**
 * Σ z zᵀ over `rows` evenly spaced rows of X, z = [(x − mean) / scale, 1], the lower triangle of [q × q] (q = d + 1;
 * the rest is garbage): the dense preconditioner's second moments, with the gradient pass's loop (r = xs = z, only
 * the blocks on or below the diagonal). Rows are added one after another, as in its TypeScript loop, so the same bits.
 * Null without WebAssembly SIMD.
 */
export function wasmSecondMoments(
  X: Float32Array,
  n: number,
  d: number,
  rows: number,
  mean: Float32Array,
  scale: Float32Array,
): Float64Array | null {
  const compiled = logisticModule();
  if (!compiled || rows <= 0) return null;
  const q = d + 1;
  const qp = Math.ceil(q / 8) * 8;
  const g = 16;
  const z = g + align16(qp * qp * 8);
  const end = z + MOMENT_TILE * qp * 8;
  if (end > WASM_MAX_BYTES) return null;
  const memory = fixedWasmMemory(end, true);
  const backward = new WebAssembly.Instance(compiled, { env: { memory } }).exports
    .backward as LogisticWasmContext["backward"];
  const mem = new Float64Array(memory.buffer);
  const z0 = z / 8;
  for (let r0 = 0; r0 < rows; r0 += MOMENT_TILE) {
    const m = Math.min(MOMENT_TILE, rows - r0);
    for (let t = 0; t < m; t++) {
      const i = Math.floor(((r0 + t) * n) / rows);
      const o = z0 + t * qp;
      for (let j = 0; j < d; j++) mem[o + j] = (X[i * d + j]! - mean[j]!) / scale[j]!;
      mem[o + d] = 1;
    }
    backward(z, m, qp, z, qp, g, 1);
  }
  const C = new Float64Array(q * q);
  for (let a = 0; a < q; a++) C.set(mem.subarray(g / 8 + a * qp, g / 8 + a * qp + a + 1), a * q);
  return C;
}
