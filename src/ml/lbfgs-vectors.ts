import { vectorKernelsWasmBase64 } from "@/ml/wasm/vector-kernels-wasm";
import { openVectorKernelSession } from "@/ml/row-kernel-thread";
import { align16, fixedWasmMemory, lazyWasmModule, WASM_MAX_BYTES } from "@/ml/wasm-module";

/**
 * The vector work of L-BFGS over θ-sized f64 vectors, with the storage those vectors live in: TypeScript loops (the
 * reference) or WebAssembly f64x2 SIMD (src/ml/wasm/vector-kernels.wat) on vectors inside one WebAssembly memory.
 * With millions of parameters the optimizer's ~25 passes per iteration cost as much as the objective in
 * TypeScript; the SIMD loops measured ~5× faster per pass, and Banking77's final fit spent 21.9 s in them instead of
 * 61.8 s (bench/ml/fit-budget.ts, one interleaved run). From VECTOR_SPLIT_MIN parameters every pass is split in two
 * halves and the second runs on a helper thread (row-kernel-thread.ts), which otherwise idles while the optimizer works.
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
  /** Lets go of the helper thread (split WebAssembly vectors); the vectors stay readable. */
  dispose(): void;
}

export type LbfgsVectorKind = "auto" | "wasm" | "typescript";

const typescriptOps: Omit<LbfgsVectors, "kind" | "vectors" | "scaleRows" | "scaleRowsDots" | "dispose"> = {
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

/** Elements from which the WebAssembly vectors are split in two halves, the second run on the vector helper thread. */
export const VECTOR_SPLIT_MIN = 1 << 16;

/** The exports the helper thread may run, in the order its commands number them. */
const SPLIT_EXPORTS = [
  "dot",
  "axpy",
  "axpyDot",
  "scaledCopy",
  "scaledCopyDot",
  "addScaled",
  "difference",
  "normInf",
  "stepPair",
  "scaleRowsDots",
  "scaleRows",
] as const;
type SplitExport = (typeof SPLIT_EXPORTS)[number];

function wasmVectors(
  p: number,
  count: number,
  rowScales: Float64Array | undefined,
  layout: VectorLayout,
): LbfgsVectors | null {
  const mod = vectorKernelsModule();
  if (!mod) return null;
  const stride = align16(p * 8);
  const scalesBytes = rowScales ? align16(rowScales.length * 8) : 0;
  const bytes = 16 + stride * count + scalesBytes;
  if (bytes > WASM_MAX_BYTES) return null;
  // Sized once and shared: never grown (no view in any thread is ever detached), and the helper thread works on it.
  const memory = fixedWasmMemory(bytes, true);
  const w = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as VectorExports;
  const buf = memory.buffer;
  const vectors = Array.from({ length: count }, (_, i) => new Float64Array(buf, 16 + i * stride, p));
  const scalesAt = 16 + count * stride;
  if (rowScales) new Float64Array(buf, scalesAt, rowScales.length).set(rowScales);
  const rows = rowScales?.length ?? 0;
  const checkRows = (offset: number, width: number): void => {
    if (!rowScales) throw new Error("L-BFGS vectors: scaleRows without rowScales");
    if (offset < 0 || offset + rows * width > p)
      throw new Error(`L-BFGS vectors: scaleRows block [${offset}, ${offset + rows * width}) outside [0, ${p})`);
  };
  // Two halves [0, h) and [h, p): at a row boundary of the preconditioner's block when there is one (so the row ops
  // split into whole rows), else in the middle. The split depends on the problem only, never on the machine: the sums
  // (and the iterates) are the same with one core or two; only where the second half runs differs.
  const splitRows = layout.rows && rows >= 2 ? Math.floor(rows / 2) : 0;
  const h =
    layout.split === "never" || (layout.split !== "always" && p < VECTOR_SPLIT_MIN) || p < 2
      ? 0
      : splitRows > 0
        ? layout.rows!.offset + splitRows * layout.rows!.width
        : Math.floor(p / 2);
  const session = h > 0 ? openVectorKernelSession(mod, memory, [...SPLIT_EXPORTS]) : null;
  const fns = w as unknown as Record<SplitExport, (...args: number[]) => number | number[]>;
  /** Runs export `name` on both halves (the second on the helper when there is one); both halves' results. */
  const both = (name: SplitExport, first: number[], second: number[]): [number[], number[]] => {
    const started = session?.start(SPLIT_EXPORTS.indexOf(name), second) ?? false;
    const own = [fns[name](...first)].flat();
    const other = started ? Array.from(session!.finish().subarray(0, own.length)) : [fns[name](...second)].flat();
    return [own, other];
  };
  const sum = (name: SplitExport, first: number[], second: number[]): number => {
    const [a, b] = both(name, first, second);
    return a[0]! + b[0]!;
  };
  // v's address at element k
  const at = (v: Float64Array, k: number): number => v.byteOffset + k * 8;
  const q = p - h;
  const rowLayout = (offset: number, width: number): boolean =>
    splitRows > 0 && offset === layout.rows!.offset && width === layout.rows!.width;
  // Every vector handed to these is one of `vectors` (a view into this memory): its byteOffset is its address.
  if (h === 0)
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
      dispose: () => {},
    };
  return {
    kind: "wasm",
    vectors,
    dot: (a, b) => sum("dot", [at(a, 0), at(b, 0), h], [at(a, h), at(b, h), q]),
    axpy: (y, a, x) => void both("axpy", [at(y, 0), at(x, 0), h, a], [at(y, h), at(x, h), q, a]),
    axpyThenDot: (y, a, x, u) =>
      sum("axpyDot", [at(y, 0), at(x, 0), at(u, 0), h, a], [at(y, h), at(x, h), at(u, h), q, a]),
    scaledCopy: (out, v, a) => void both("scaledCopy", [at(out, 0), at(v, 0), h, a], [at(out, h), at(v, h), q, a]),
    scaledCopyThenDot: (out, v, a, u) =>
      sum("scaledCopyDot", [at(out, 0), at(v, 0), at(u, 0), h, a], [at(out, h), at(v, h), at(u, h), q, a]),
    addScaled: (out, x, t, d) =>
      void both("addScaled", [at(out, 0), at(x, 0), at(d, 0), h, t], [at(out, h), at(x, h), at(d, h), q, t]),
    difference: (out, a, b) =>
      void both("difference", [at(out, 0), at(a, 0), at(b, 0), h], [at(out, h), at(a, h), at(b, h), q]),
    normInf: (a) => {
      const [x, y] = both("normInf", [at(a, 0), h], [at(a, h), q]);
      return Math.max(x[0]!, y[0]!);
    },
    stepPair: (s, y, xNew, x, gNew, g) => {
      const [a, b] = both(
        "stepPair",
        [at(s, 0), at(y, 0), at(xNew, 0), at(x, 0), at(gNew, 0), at(g, 0), h],
        [at(s, h), at(y, h), at(xNew, h), at(x, h), at(gNew, h), at(g, h), q],
      );
      return { sy: a[0]! + b[0]!, yy: a[1]! + b[1]!, gNorm: Math.max(a[2]!, b[2]!) };
    },
    scaleRows: (v, offset, width) => {
      checkRows(offset, width);
      if (!rowLayout(offset, width)) return w.scaleRows(v.byteOffset + offset * 8, scalesAt, rows, width);
      both(
        "scaleRows",
        [at(v, offset), scalesAt, splitRows, width],
        [at(v, h), scalesAt + splitRows * 8, rows - splitRows, width],
      );
    },
    scaleRowsDots: (v, a, b, offset, width, gamma) => {
      checkRows(offset, width);
      if (!rowLayout(offset, width))
        throw new Error("L-BFGS vectors: scaleRowsDots on split vectors needs the row block given at creation");
      const [x, y] = both(
        "scaleRowsDots",
        [at(v, 0), at(a, 0), at(b, 0), h, offset, scalesAt, splitRows, width, gamma],
        [at(v, h), at(a, h), at(b, h), q, 0, scalesAt + splitRows * 8, rows - splitRows, width, gamma],
      );
      return [x[0]! + y[0]!, x[1]! + y[1]!];
    },
    dispose: () => session?.release(),
  };
}

/** Where the preconditioner's row block lies (the vectors split at one of its row boundaries), and the split. */
export interface VectorLayout {
  rows?: { offset: number; width: number };
  /** Split every vector in two halves, the second on a helper thread: "auto" (default) from VECTOR_SPLIT_MIN elements. */
  split?: "auto" | "never" | "always";
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
  layout: VectorLayout = {},
): LbfgsVectors {
  if (kind !== "typescript") {
    const w = wasmVectors(p, count, rowScales, layout);
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
    dispose: () => {},
  };
}
