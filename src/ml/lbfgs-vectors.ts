import { vectorKernelsWasmBase64 } from "@/ml/wasm/vector-kernels-wasm";
import { align16, lazyWasmModule, WASM_MAX_BYTES, WASM_PAGE } from "@/ml/wasm-module";

/**
 * The vector work of L-BFGS over θ-sized f64 vectors, with the storage those vectors live in: TypeScript loops (the
 * reference) or WebAssembly f64x2 SIMD (src/ml/wasm/vector-kernels.wat) on vectors inside one WebAssembly memory.
 * With millions of parameters the optimizer's ~25 passes per iteration cost as much as the objective in
 * TypeScript; the SIMD loops measured ~5× faster per pass, and Banking77's final fit spent 21.9 s in them instead of
 * 61.8 s (bench/ml/fit-budget.ts, one interleaved run).
 */
export interface LbfgsVectors {
  kind: "wasm" | "typescript";
  /** The vectors asked for, each of length p, zeroed. */
  vectors: Float64Array[];
  dot(a: Float64Array, b: Float64Array): number;
  /** y += a · x */
  axpy(y: Float64Array, a: number, x: Float64Array): void;
  /** y += a · x, returning u · y */
  axpyThenDot(y: Float64Array, a: number, x: Float64Array, u: Float64Array): number;
  /** out = a · v (out may be v) */
  scaledCopy(out: Float64Array, v: Float64Array, a: number): void;
  /** out = a · v, returning u · out */
  scaledCopyThenDot(out: Float64Array, v: Float64Array, a: number, u: Float64Array): number;
  /** out = x + t · d */
  addScaled(out: Float64Array, x: Float64Array, t: number, d: Float64Array): void;
  /** out = a − b */
  difference(out: Float64Array, a: Float64Array, b: Float64Array): void;
  /** max |a_i|; NaN when any element is NaN (a NaN gradient must not look converged). */
  normInf(a: Float64Array): number;
  /**
   * The end of an iteration: s = xNew − x and y = gNew − g, returning s · y, y · y and ‖gNew‖∞ — one pass in
   * WebAssembly, the same numbers as difference, difference, dot, dot and normInf.
   */
  stepPair(
    s: Float64Array,
    y: Float64Array,
    xNew: Float64Array,
    x: Float64Array,
    gNew: Float64Array,
    g: Float64Array,
  ): { sy: number; yy: number; gNorm: number };
  /**
   * v[offset + r·width + k] *= rowScales[r] for every row r of the rowScales given at creation and k < width: the
   * diagonal part of a preconditioner over a block of θ (throws when no rowScales were given).
   */
  scaleRows(v: Float64Array, offset: number, width: number): void;
  /**
   * scaleRows(v, offset, width), then v = γ · v, then returns [a · b, b · v]: one pass in WebAssembly, the same
   * numbers as those four calls (throws when no rowScales were given).
   */
  scaleRowsDots(
    v: Float64Array,
    a: Float64Array,
    b: Float64Array,
    offset: number,
    width: number,
    gamma: number,
  ): [number, number];
}

export type LbfgsVectorKind = "auto" | "wasm" | "typescript";

const typescriptOps: Omit<LbfgsVectors, "kind" | "vectors" | "scaleRows" | "scaleRowsDots"> = {
  scaledCopyThenDot(out, v, a, u) {
    typescriptOps.scaledCopy(out, v, a);
    return typescriptOps.dot(u, out);
  },
  stepPair(s, y, xNew, x, gNew, g) {
    typescriptOps.difference(s, xNew, x);
    typescriptOps.difference(y, gNew, g);
    return { sy: typescriptOps.dot(s, y), yy: typescriptOps.dot(y, y), gNorm: typescriptOps.normInf(gNew) };
  },
  dot(a, b) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return s;
  },
  axpy(y, a, x) {
    for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
  },
  axpyThenDot(y, a, x, u) {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const v = y[i]! + a * x[i]!;
      y[i] = v;
      s += u[i]! * v;
    }
    return s;
  },
  scaledCopy(out, v, a) {
    for (let i = 0; i < out.length; i++) out[i] = v[i]! * a;
  },
  addScaled(out, x, t, d) {
    for (let i = 0; i < out.length; i++) out[i] = x[i]! + t * d[i]!;
  },
  difference(out, a, b) {
    for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
  },
  normInf(a) {
    let m = 0;
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i]!);
      if (v > m) m = v;
      else if (v !== v) return NaN;
    }
    return m;
  },
};

function typescriptScaleRows(scales: Float64Array | undefined): LbfgsVectors["scaleRows"] {
  return (v, offset, width) => {
    if (!scales) throw new Error("L-BFGS vectors: scaleRows without rowScales");
    for (let r = 0; r < scales.length; r++) {
      const s = scales[r]!;
      const o = offset + r * width;
      for (let k = 0; k < width; k++) v[o + k] = v[o + k]! * s;
    }
  };
}

const vectorKernelsModule = lazyWasmModule(vectorKernelsWasmBase64);

interface VectorExports {
  memory: WebAssembly.Memory;
  dot(a: number, b: number, n: number): number;
  axpy(y: number, x: number, n: number, a: number): void;
  axpyDot(y: number, x: number, u: number, n: number, a: number): number;
  scaledCopy(out: number, v: number, n: number, a: number): void;
  scaledCopyDot(out: number, v: number, u: number, n: number, a: number): number;
  addScaled(out: number, x: number, d: number, n: number, t: number): void;
  difference(out: number, a: number, b: number, n: number): void;
  normInf(a: number, n: number): number;
  scaleRows(v: number, s: number, rows: number, width: number): void;
  stepPair(s: number, y: number, xNew: number, x: number, gNew: number, g: number, n: number): [number, number, number];
  scaleRowsDots(
    v: number,
    a: number,
    b: number,
    n: number,
    off: number,
    s: number,
    rows: number,
    w: number,
    gamma: number,
  ): [number, number];
}

function wasmVectors(p: number, count: number, rowScales: Float64Array | undefined): LbfgsVectors | null {
  const mod = vectorKernelsModule();
  if (!mod) return null;
  const stride = align16(p * 8);
  const scalesBytes = rowScales ? align16(rowScales.length * 8) : 0;
  const bytes = 16 + stride * count + scalesBytes;
  if (bytes > WASM_MAX_BYTES) return null;
  const w = new WebAssembly.Instance(mod, {}).exports as unknown as VectorExports;
  const pages = Math.ceil(bytes / WASM_PAGE);
  const have = w.memory.buffer.byteLength / WASM_PAGE;
  if (pages > have) w.memory.grow(pages - have);
  const buf = w.memory.buffer;
  const vectors = Array.from({ length: count }, (_, i) => new Float64Array(buf, 16 + i * stride, p));
  const scalesAt = 16 + count * stride;
  if (rowScales) new Float64Array(buf, scalesAt, rowScales.length).set(rowScales);
  const rows = rowScales?.length ?? 0;
  const checkRows = (offset: number, width: number): void => {
    if (!rowScales) throw new Error("L-BFGS vectors: scaleRows without rowScales");
    if (offset < 0 || offset + rows * width > p)
      throw new Error(`L-BFGS vectors: scaleRows block [${offset}, ${offset + rows * width}) outside [0, ${p})`);
  };
  // Every vector handed to these is one of `vectors` (a view into this memory): its byteOffset is its address.
  return {
    kind: "wasm",
    vectors,
    dot: (a, b) => w.dot(a.byteOffset, b.byteOffset, p),
    axpy: (y, a, x) => w.axpy(y.byteOffset, x.byteOffset, p, a),
    axpyThenDot: (y, a, x, u) => w.axpyDot(y.byteOffset, x.byteOffset, u.byteOffset, p, a),
    scaledCopy: (out, v, a) => w.scaledCopy(out.byteOffset, v.byteOffset, p, a),
    scaledCopyThenDot: (out, v, a, u) => w.scaledCopyDot(out.byteOffset, v.byteOffset, u.byteOffset, p, a),
    addScaled: (out, x, t, d) => w.addScaled(out.byteOffset, x.byteOffset, d.byteOffset, p, t),
    difference: (out, a, b) => w.difference(out.byteOffset, a.byteOffset, b.byteOffset, p),
    normInf: (a) => w.normInf(a.byteOffset, p),
    stepPair: (s, y, xNew, x, gNew, g) => {
      const [sy, yy, gNorm] = w.stepPair(
        s.byteOffset,
        y.byteOffset,
        xNew.byteOffset,
        x.byteOffset,
        gNew.byteOffset,
        g.byteOffset,
        p,
      );
      return { sy, yy, gNorm };
    },
    scaleRows: (v, offset, width) => {
      checkRows(offset, width);
      w.scaleRows(v.byteOffset + offset * 8, scalesAt, rows, width);
    },
    scaleRowsDots: (v, a, b, offset, width, gamma) => {
      checkRows(offset, width);
      return w.scaleRowsDots(v.byteOffset, a.byteOffset, b.byteOffset, p, offset, scalesAt, rows, width, gamma);
    },
  };
}

/**
 * `count` vectors of length p and the operations on them; "auto" is WebAssembly where the runtime has SIMD.
 * rowScales: the per-row scales scaleRows applies (copied into the vectors' memory once, here).
 */
export function createLbfgsVectors(
  p: number,
  count: number,
  kind: LbfgsVectorKind = "auto",
  rowScales?: Float64Array,
): LbfgsVectors {
  if (kind !== "typescript") {
    const w = wasmVectors(p, count, rowScales);
    if (w) return w;
    if (kind === "wasm")
      throw new Error("L-BFGS: WebAssembly SIMD vector kernels are not available here (or the problem exceeds 4 GiB)");
  }
  const scaleRows = typescriptScaleRows(rowScales?.slice());
  return {
    kind: "typescript",
    vectors: Array.from({ length: count }, () => new Float64Array(p)),
    ...typescriptOps,
    scaleRows,
    scaleRowsDots(v, a, b, offset, width, gamma) {
      scaleRows(v, offset, width);
      typescriptOps.scaledCopy(v, v, gamma);
      return [typescriptOps.dot(a, b), typescriptOps.dot(b, v)];
    },
  };
}
