import os from "node:os";
import { describe, expect, it } from "vitest";
import type { FeatureRows } from "@/ml/feature-rows";
import { buildHybridObjective, type HybridObjectiveOptions } from "@/ml/hybrid-logistic-objective";
import { createRowKernels, kernelExp, rowKernelsAvailable } from "@/ml/wasm-row-kernels";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { createLbfgsVectors } from "@/ml/lbfgs-vectors";
import { createRng } from "@/ml/rng";
import type { CsrMatrix } from "@/ml/sparse-matrix";
import type { Targets } from "@/ml/train-logistic-regression";
import { expectClose } from "../../helpers/expect-close";
import { numericGradient } from "../../helpers/numeric-gradient";

/** Random non-negative sparse rows with L2 norm 1 (TF-IDF-like); some rows empty. */
/** The TypeScript (f64) row loops: the reference the finite differences and tight optima are checked on. */
const buildReference: typeof buildHybridObjective = (rows, classes, targets, options) =>
  buildHybridObjective(rows, classes, targets, { kernel: "typescript", ...options });

function randomCsr(n: number, V: number, perRow: number, seed: number): CsrMatrix {
  const rng = createRng(seed);
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = i % 7 === 6 ? 0 : 1 + rng.int(perRow);
    const set = new Set<number>();
    while (set.size < m) set.add(rng.int(V));
    const c = [...set].sort((a, b) => a - b);
    const v = c.map(() => 0.1 + rng.next());
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
    idx.push(...c);
    val.push(...v.map((x) => x / norm));
    indptr[i + 1] = idx.length;
  }
  return { rows: n, cols: V, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

function randomDense(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => rng.next() * 2 - 1 + 0.3);
}

function gradientCheck(rows: FeatureRows, K: number, targets: Targets, options: HybridObjectiveOptions): void {
  const classes = Array.from({ length: K }, (_, k) => `c${k}`);
  const { fg, theta0 } = buildReference(rows, classes, targets, options);
  const rng = createRng(5);
  const theta = theta0.map(() => rng.next() - 0.5);
  const grad = new Float64Array(theta.length);
  fg(theta, grad);
  expectClose(grad, numericGradient(fg, theta), { abs: 1e-7, rel: 1e-5 });
}

const n = 23,
  d = 4,
  V = 15,
  K = 3;
const dense = randomDense(n, d, 1);
const sparse = randomCsr(n, V, 5, 2);
const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % K);
const Y = Uint8Array.from({ length: n * K }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0));
const weights = Float32Array.from({ length: n }, (_, i) => 0.5 + (i % 3));

describe("hybrid logistic objective: gradient vs central finite differences", () => {
  const cases: [string, FeatureRows][] = [
    ["dense + sparse", { n, dense, d, sparse }],
    ["sparse only", { n, dense: null, d: 0, sparse }],
    ["dense only", { n, dense, d, sparse: null }],
  ];
  for (const [name, rows] of cases) {
    it(`single-label, ${name}`, () =>
      gradientCheck(rows, K, { task: "single-label", y }, { l2: 0.03, blockWeight: 1.7 }));
    it(`single-label balanced + sample weights, ${name}`, () =>
      gradientCheck(
        rows,
        K,
        { task: "single-label", y },
        { l2: 0.01, blockWeight: 0.5, classWeight: "balanced", sampleWeight: weights },
      ));
    it(`multi-label, ${name}`, () => gradientCheck(rows, K, { task: "multi-label", Y }, { l2: 0.02, blockWeight: 2 }));
    it(`multi-label balanced, ${name}`, () =>
      gradientCheck(rows, K, { task: "multi-label", Y }, { l2: 0.02, classWeight: "balanced", sampleWeight: weights }));
  }

  it("gives a class without examples its fixed logit and no gradient on its bias", () => {
    const y0 = Int32Array.from(y, (c) => (c === 2 ? 0 : c));
    gradientCheck({ n, dense, d, sparse }, K, { task: "single-label", y: y0 }, { l2: 0.03 });
    const { fg, theta0, finalize } = buildReference(
      { n, dense, d, sparse },
      ["a", "b", "c"],
      { task: "single-label", y: y0 },
      { l2: 0.03 },
    );
    const g = new Float64Array(theta0.length);
    fg(theta0, g);
    expect(g[K * d + 2]).toBe(0);
    expect(finalize(theta0).dense.bias[2]).toBe(-1e4);
  });
});

describe("hybrid logistic objective: optimization", () => {
  it("loss decreases under L-BFGS, with and without the preconditioner, to the same optimum", () => {
    const rows: FeatureRows = { n, dense, d, sparse };
    const targets: Targets = { task: "single-label", y };
    const results = [true, false].map((precondition) => {
      const {
        fg,
        theta0,
        precondition: pre,
      } = buildReference(rows, ["a", "b", "c"], targets, { l2: 0.01, precondition });
      return minimizeLbfgs(fg, theta0, { gtol: 1e-9, maxIter: 2000, precondition: pre });
    });
    for (const r of results) {
      for (let t = 1; t < r.history.length; t++) expect(r.history[t]!).toBeLessThanOrEqual(r.history[t - 1]! + 1e-12);
      expect(r.history[r.history.length - 1]!).toBeLessThan(r.history[0]! - 0.1);
    }
    expectClose(results[0]!.f, results[1]!.f, { abs: 1e-9 });
    expectClose(results[0]!.x, results[1]!.x, { abs: 1e-4 });
  });

  it("the preconditioner as L-BFGS options (dense function + n-gram row scales in the vector kernels) is the TypeScript one", () => {
    const rows: FeatureRows = { n, dense, d, sparse };
    const obj = buildReference(rows, ["a", "b", "c"], { task: "single-label", y }, { l2: 0.01, blockWeight: 2 });
    const { precondition, preconditionRows } = obj.lbfgsPreconditioner;
    expect(preconditionRows).toMatchObject({ offset: obj.layout.sparseOffset, width: 3 });
    const p = obj.theta0.length;
    expect(preconditionRows!.offset + preconditionRows!.scales.length * preconditionRows!.width).toBe(p);
    for (const kind of ["wasm", "typescript"] as const) {
      const V = createLbfgsVectors(p, 1, kind, preconditionRows!.scales);
      const v = V.vectors[0]!;
      for (let i = 0; i < p; i++) v[i] = Math.sin(i + 1);
      const reference = v.slice();
      obj.precondition!(reference);
      precondition!(v);
      V.scaleRows(v, preconditionRows!.offset, preconditionRows!.width);
      expect(Array.from(v)).toEqual(Array.from(reference));
    }
    const r = minimizeLbfgs(obj.fg, obj.theta0, { gtol: 1e-9, maxIter: 2000, ...obj.lbfgsPreconditioner });
    const ref = minimizeLbfgs(obj.fg, obj.theta0, { gtol: 1e-9, maxIter: 2000, precondition: obj.precondition });
    expect(r.iterations).toBe(ref.iterations);
    expectClose(r.x, ref.x, { abs: 1e-12 });
  });

  it("fits separable sparse data (each class has its own n-grams)", () => {
    const m = 30;
    const indptr = Int32Array.from({ length: m + 1 }, (_, i) => i);
    const indices = Int32Array.from({ length: m }, (_, i) => (i % 3) * 10 + (i % 5));
    const rows: FeatureRows = {
      n: m,
      dense: null,
      d: 0,
      sparse: { rows: m, cols: 30, indptr, indices, values: new Float32Array(m).fill(1) },
    };
    const yy = Int32Array.from({ length: m }, (_, i) => i % 3);
    const { fg, theta0, precondition, finalize } = buildReference(
      rows,
      ["a", "b", "c"],
      { task: "single-label", y: yy },
      { l2: 1e-4 },
    );
    const r = minimizeLbfgs(fg, theta0, { gtol: 1e-8, maxIter: 500, precondition });
    expect(r.f).toBeLessThan(0.05);
    const fit = finalize(r.x);
    for (let i = 0; i < m; i++) {
      const c = indices[i]!;
      let best = 0;
      for (let k = 1; k < 3; k++) if (fit.sparseWeights![k * 30 + c]! > fit.sparseWeights![best * 30 + c]!) best = k;
      expect(best).toBe(yy[i]);
    }
  });

  it("a warm start from its own optimum is already converged (same function across α)", () => {
    const rows: FeatureRows = { n, dense, d, sparse };
    const targets: Targets = { task: "single-label", y };
    const a = buildReference(rows, ["a", "b", "c"], targets, { l2: 0.01, blockWeight: 1 });
    const r = minimizeLbfgs(a.fg, a.theta0, { gtol: 1e-10, maxIter: 2000, precondition: a.precondition });
    const fit = a.finalize(r.x);
    const b = buildReference(
      rows,
      ["c", "a", "b"],
      targets.task === "single-label" ? { task: "single-label", y: Int32Array.from(y, (c) => (c + 1) % 3) } : targets,
      {
        l2: 0.01,
        blockWeight: 1,
        warmStart: { model: fit.dense, sparseWeights: fit.sparseWeights, blockWeight: 1, sameSparseColumns: true },
      },
    );
    const g = new Float64Array(b.theta0.length);
    expectClose(b.fg(b.theta0, g), r.f, { abs: 1e-6 });
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-5);
    // Another α: the same logits at the start (the penalty differs, so only the data term is compared via l2 = 0).
    const c1 = buildReference(rows, ["a", "b", "c"], targets, {
      l2: 0,
      blockWeight: 1,
      warmStart: { model: fit.dense, sparseWeights: fit.sparseWeights, blockWeight: 1, sameSparseColumns: true },
    });
    const c2 = buildReference(rows, ["a", "b", "c"], targets, {
      l2: 0,
      blockWeight: 3,
      warmStart: { model: fit.dense, sparseWeights: fit.sparseWeights, blockWeight: 1, sameSparseColumns: true },
    });
    expectClose(c2.fg(c2.theta0, g), c1.fg(c1.theta0, g), { abs: 1e-9 });
  });
});

describe("hybrid logistic objective: WebAssembly row kernels", () => {
  it("are available on this runtime (Node 20 has WebAssembly SIMD)", () => {
    expect(rowKernelsAvailable()).toBe(true);
  });

  // Shapes around the 4-lane width (K = 2, 3, 5, 8), with untrainable outputs, weights, both tasks and each block alone;
  // K 90 and 75 (23 and 19 vectors per row) take every register block of forward (8, 4, 2, 1 vectors) and backward
  // (12, 8, 4, 2, 1).
  const shapes: [string, FeatureRows, number][] = [
    ["dense + sparse, K 5", { n, dense, d, sparse }, 5],
    ["sparse only, K 2", { n, dense: null, d: 0, sparse }, 2],
    ["dense only, K 8", { n, dense, d, sparse: null }, 8],
    ["dense + sparse, K 3", { n, dense, d, sparse }, 3],
    ["dense + sparse, K 90", { n, dense, d, sparse }, 90],
    ["dense + sparse, K 75", { n, dense, d, sparse }, 75],
  ];
  for (const [name, rows, k] of shapes) {
    for (const task of ["single-label", "multi-label"] as const) {
      it(`give the reference's loss and gradient (${task}, ${name})`, () => {
        const classes = Array.from({ length: k }, (_, c) => `c${c}`);
        // Class k − 1 never occurs (single-label) / is always on (multi-label): a fixed, untrainable output.
        const targets: Targets =
          task === "single-label"
            ? { task, y: Int32Array.from({ length: n }, (_, i) => (i * 7) % (k - 1)) }
            : {
                task,
                Y: Uint8Array.from({ length: n * k }, (_, i) => (i % k === k - 1 ? 1 : (i * 5) % 3 === 0 ? 1 : 0)),
              };
        const options: HybridObjectiveOptions = {
          l2: 0.02,
          blockWeight: 1.7,
          classWeight: "balanced",
          sampleWeight: weights,
        };
        const ref = buildReference(rows, classes, targets, options);
        const fast = buildHybridObjective(rows, classes, targets, { ...options, kernel: "wasm" });
        const rng = createRng(9);
        const theta = ref.theta0.map(() => rng.next() - 0.5);
        const g1 = new Float64Array(theta.length);
        const g2 = new Float64Array(theta.length);
        const f1 = ref.fg(theta, g1);
        const f2 = fast.fg(theta, g2);
        // f32 logits and gradient rows: agreement to single precision, relative to the gradient's scale.
        expectClose(f2, f1, { rel: 1e-6 });
        const scale = Math.max(...g1.map(Math.abs));
        expectClose(g2, g1, { abs: 2e-6 * scale });
        // Fixed outputs get no gradient on either path.
        if (task === "single-label") expect(g2[k * rows.d + k - 1]).toBe(0);
      });
    }
  }

  it("compute e^x in f64 within 2 ulp of Math.exp (the softmax residuals' exp), and 0 below −708", () => {
    const x = Float64Array.from({ length: 200_001 }, (_, i) => -745 + (i * (709 + 745)) / 200_000);
    const near = Float64Array.from({ length: 20_001 }, (_, i) => -i / 500);
    for (const xs of [x, near, Float64Array.of(0, -1e-300, -0.34657359027997264, 0.34657359027997264, -708, 1)]) {
      const e = kernelExp(xs);
      let worst = 0;
      let underflow = 0;
      for (let i = 0; i < xs.length; i++) {
        if (xs[i]! < -708) underflow = Math.max(underflow, e[i]!);
        else worst = Math.max(worst, Math.abs(e[i]! - Math.exp(xs[i]!)) / Math.exp(xs[i]!));
      }
      expect(underflow).toBe(0);
      expect(worst).toBeLessThanOrEqual(4.5e-16);
    }
    expect(kernelExp(Float64Array.of(0))[0]).toBe(1);
  });

  it("single-label residuals in the kernels (both halves, many classes, absent ones) give the reference's loss and gradient", () => {
    const m = 300;
    const k = 37;
    const rows: FeatureRows = { n: m, dense: randomDense(m, 6, 3), d: 6, sparse: randomCsr(m, 50, 8, 4) };
    const classes = Array.from({ length: k }, (_, c) => `c${c}`);
    // Classes 5 and 36 never occur: fixed logits inside a vector and in the last one (next to the padding lanes).
    const yy = Int32Array.from({ length: m }, (_, i) => ([5, 36].includes((i * 11) % k) ? 0 : (i * 11) % k));
    const options: HybridObjectiveOptions = {
      l2: 0.01,
      blockWeight: 1.3,
      sampleWeight: Float32Array.from({ length: m }, (_, i) => 0.5 + (i % 4)),
    };
    const ref = buildReference(rows, classes, { task: "single-label", y: yy }, options);
    const rng = createRng(21);
    // Logits far apart (large weights) as well as near: the softmax's max shift and its near-zero probabilities.
    for (const spread of [0.5, 40]) {
      const theta = ref.theta0.map(() => (rng.next() - 0.5) * spread);
      const g1 = new Float64Array(theta.length);
      const f1 = ref.fg(theta, g1);
      for (const split of ["never", "always"] as const) {
        const fast = buildHybridObjective(
          rows,
          classes,
          { task: "single-label", y: yy },
          { ...options, kernel: "wasm", split },
        );
        const g2 = new Float64Array(theta.length);
        expectClose(fast.fg(theta, g2), f1, { rel: 1e-6 });
        expectClose(g2, g1, { abs: 2e-6 * Math.max(...g1.map(Math.abs)) });
        expect(g2[k * rows.d + 5]).toBe(0);
        expect(g2[k * rows.d + 36]).toBe(0);
        fast.dispose();
      }
    }
  });

  for (const split of ["never", "always"] as const) {
    it(`round θ's n-gram rows into f32 and assemble their f64 gradient as the JavaScript loops did, to the bit (split ${split})`, () => {
      const shape = { n: 40, d: 3, V: 25, K: 7, nnz: 120, split };
      const withParams = createRowKernels({ ...shape, sparseParams: true })!;
      const plain = createRowKernels(shape)!;
      const rng = createRng(31);
      const { kp } = plain;
      for (const k of [withParams, plain]) {
        const r = createRng(32);
        for (let i = 0; i < k.x.length; i++) k.x[i] = r.next() - 0.5;
        for (let i = 0; i <= shape.n; i++) k.indptr[i] = i * 3;
        for (let p = 0; p < shape.nnz; p++) {
          k.cols[p] = shape.d + ((p * 7) % shape.V);
          k.vals[p] = r.next();
        }
        for (let i = 0; i < k.z.length; i++) k.z[i] = i % kp < shape.K ? r.next() - 0.5 : 0;
      }
      const sp = withParams.sparseParams!;
      expect(plain.sparseParams).toBeNull();
      for (let i = 0; i < sp.theta64.length; i++) sp.theta64[i] = (rng.next() - 0.5) * 3;
      sp.packTheta();
      for (let r = 0; r < shape.V; r++)
        for (let c = 0; c < kp; c++)
          expect(withParams.theta[(shape.d + r) * kp + c]).toBe(
            c < shape.K ? Math.fround(sp.theta64[r * shape.K + c]!) : 0,
          );
      const invN = 1 / 40;
      const l2 = 0.013;
      const reg = sp.backwardAssemble(invN, l2);
      plain.grad.fill(0);
      plain.backward();
      let expectedReg = 0;
      for (let r = 0; r < shape.V; r++)
        for (let c = 0; c < shape.K; c++) {
          const w = sp.theta64[r * shape.K + c]!;
          expectedReg += w * w;
          expect(sp.grad64[r * shape.K + c]).toBe(plain.grad[(shape.d + r) * kp + c]! * invN + l2 * w);
        }
      expectClose(reg, expectedReg, { rel: 1e-14 });
      for (let i = 0; i < shape.d * kp; i++) expect(withParams.grad[i]).toBe(plain.grad[i]);
      withParams.dispose();
      plain.dispose();
    });
  }

  it("run the second half of a split on a helper thread wherever there are two cores", () => {
    const k = createRowKernels({ n: 10, d: 4, V: 6, K: 3, nnz: 20, split: "always" })!;
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    expect(k.split?.threaded).toBe(cores >= 2);
    expect(createRowKernels({ n: 10, d: 4, V: 6, K: 3, nnz: 20 })!.split).toBeNull(); // small: never split
    k.dispose();
  });

  it("split in two halves of rows (the second on the helper thread) give the reference's loss and gradient, the same whichever thread runs the second half", () => {
    const rows: FeatureRows = { n, dense, d, sparse };
    const classes = ["a", "b", "c", "d", "e"];
    const targets: Targets = { task: "single-label", y: Int32Array.from({ length: n }, (_, i) => (i * 7) % 5) };
    const ref = buildReference(rows, classes, targets, { l2: 0.02, blockWeight: 1.7 });
    const split = buildHybridObjective(rows, classes, targets, {
      l2: 0.02,
      blockWeight: 1.7,
      kernel: "wasm",
      split: "always",
    });
    const rng = createRng(11);
    const theta = ref.theta0.map(() => rng.next() - 0.5);
    const g1 = new Float64Array(theta.length);
    const g2 = new Float64Array(theta.length);
    const f1 = ref.fg(theta, g1);
    const f2 = split.fg(theta, g2);
    expectClose(f2, f1, { rel: 1e-6 });
    expectClose(g2, g1, { abs: 2e-6 * Math.max(...g1.map(Math.abs)) });
    // A newer objective takes the helper thread over; the first then runs both halves itself, with the same sums.
    const other = buildHybridObjective(rows, classes, targets, { l2: 0.02, kernel: "wasm", split: "always" });
    const g3 = new Float64Array(theta.length);
    expect(split.fg(theta, g3)).toBe(f2);
    expect(g3).toEqual(g2);
    other.dispose();
    split.dispose();
  });

  it("L-BFGS reaches the reference's optimum and the same predictions", () => {
    const rows: FeatureRows = { n, dense, d, sparse };
    const targets: Targets = { task: "single-label", y };
    const ref = buildReference(rows, ["a", "b", "c"], targets, { l2: 0.01 });
    const fast = buildHybridObjective(rows, ["a", "b", "c"], targets, { l2: 0.01, kernel: "wasm" });
    const r1 = minimizeLbfgs(ref.fg, ref.theta0, { gtol: 1e-6, maxIter: 500, precondition: ref.precondition });
    const r2 = minimizeLbfgs(fast.fg, fast.theta0, {
      gtol: 1e-6,
      ftol: 1e-9,
      maxIter: 500,
      precondition: fast.precondition,
    });
    expectClose(r2.f, r1.f, { rel: 1e-5 });
    const g = new Float64Array(r2.x.length);
    ref.fg(r2.x, g);
    expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-4);
  });
});
