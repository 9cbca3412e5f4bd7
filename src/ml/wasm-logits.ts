import { logitsKernelsWasmBase64 } from "@/ml/wasm/logits-kernels-wasm";
import { align16, fixedWasmMemory, lazyWasmModule } from "@/ml/wasm-module";

/** The compiled module, or null where this runtime lacks WebAssembly SIMD (the TypeScript loop then runs). */
const logitsModule = lazyWasmModule(logitsKernelsWasmBase64);

/** Whether the WebAssembly logits kernel can run here. */
export function wasmLogitsAvailable(): boolean {
  return logitsModule() !== null;
}

// Rows copied into the module per call: ~512 KB of features stays in L2 between the copy and the kernel's read,
// and bounds the memory whatever the pool size.
const BLOCK_BYTES = 512 * 1024;

/**
 * Raw logits [n × K] = X·Wᵀ + b with the kernel of src/ml/wasm/logits-kernels.wat (f32 products and f32 sums in
 * four lanes per accumulator). W [K × d] and b [K] are the effective weights on raw features (f64, rounded to f32
 * here); X [n × d] is copied into the module's memory a block of rows at a time. Returns null where WebAssembly SIMD
 * is unavailable. Error against the f64 reference: |Δ| ≤ (⌈d/4⌉ + 8)·2⁻²⁴ · (|b_k| + Σ_j |W_kj·x_j|) per logit
 * (f32 rounding of W and of each product, ⌈d/4⌉ lane sums, the lane reduction and the bias).
 */
export function wasmLogits(
  W: Float64Array,
  b: Float64Array,
  K: number,
  d: number,
  X: Float32Array,
  n: number,
): Float32Array | null {
  const mod = logitsModule();
  if (!mod || K <= 0 || d <= 0) return null;
  const dp = Math.ceil(d / 4) * 4;
  const kp = Math.ceil(K / 4) * 4;
  const block = Math.max(2, Math.min(n, Math.floor(BLOCK_BYTES / (dp * 4)) & ~1));
  const wAt = 16; // address 0 stays unused
  const bAt = wAt + align16(kp * dp * 4);
  const xAt = bAt + align16(kp * 4);
  const outAt = xAt + align16(block * dp * 4);
  const end = outAt + align16(block * K * 4);
  // Sized once for this call: the memory never grows, so no typed-array view in this thread is ever detached.
  const memory = fixedWasmMemory(end, false);
  const logits = new WebAssembly.Instance(mod, { env: { memory } }).exports.logits as (
    x: number,
    n: number,
    dp: number,
    w: number,
    K: number,
    b: number,
    out: number,
  ) => void;
  const mem = new Float32Array(memory.buffer);
  for (let k = 0; k < K; k++) {
    const wo = wAt / 4 + k * dp;
    for (let j = 0; j < d; j++) mem[wo + j] = W[k * d + j]!;
    mem[bAt / 4 + k] = b[k]!;
  }
  const out = new Float32Array(n * K);
  const x = mem.subarray(xAt / 4, xAt / 4 + block * dp);
  const z = mem.subarray(outAt / 4, outAt / 4 + block * K);
  for (let i0 = 0; i0 < n; i0 += block) {
    const rows = Math.min(block, n - i0);
    // Padding columns are written once (zero) and never touched: rows are copied into their first d values only.
    if (dp === d) x.set(X.subarray(i0 * d, (i0 + rows) * d));
    else for (let r = 0; r < rows; r++) x.set(X.subarray((i0 + r) * d, (i0 + r + 1) * d), r * dp);
    logits(xAt, rows, dp, wAt, K, bAt, outAt);
    out.set(rows === block ? z : z.subarray(0, rows * K), i0 * K);
  }
  return out;
}
