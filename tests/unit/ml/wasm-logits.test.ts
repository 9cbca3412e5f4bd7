import { describe, expect, it } from "vitest";
import { computeLogits, effectiveWeights, type LinearModel } from "@/ml/linear-model";
import { createRng } from "@/ml/rng";
import { wasmLogitsAvailable } from "@/ml/wasm-logits";

function randomModel(K: number, d: number, seed: number): LinearModel {
  const rng = createRng(seed);
  const r = (s: number) => (rng.next() - 0.5) * s;
  return {
    task: "single-label",
    classes: Array.from({ length: K }, (_, k) => `c${k}`),
    dim: d,
    weights: Float32Array.from({ length: K * d }, () => r(4)),
    bias: Float32Array.from({ length: K }, () => r(2)),
    mean: Float32Array.from({ length: d }, () => r(1)),
    scale: Float32Array.from({ length: d }, () => 0.2 + rng.next()),
    temperature: 1,
  };
}

function randomRows(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => (rng.next() - 0.5) * 3);
}

/** The bound stated in src/ml/wasm-logits.ts: (⌈d/4⌉ + 8)·2⁻²⁴ · (|b_k| + Σ_j |W_kj·x_j|). */
function bounds(model: LinearModel, X: Float32Array, n: number): Float64Array {
  const { W, b } = effectiveWeights(model);
  const K = model.classes.length,
    d = model.dim;
  const u = (Math.ceil(d / 4) + 8) * 2 ** -24;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      let s = Math.abs(b[k]!);
      for (let j = 0; j < d; j++) s += Math.abs(W[k * d + j]! * X[i * d + j]!);
      out[i * K + k] = u * s;
    }
  }
  return out;
}

describe.runIf(wasmLogitsAvailable())("logits kernel: WebAssembly f32x4 against the TypeScript f64 reference", () => {
  // Odd and even rows, dims that are and are not multiples of 4, K below, at and above a multiple of 4.
  const shapes = [
    { n: 1, d: 1, K: 1 },
    { n: 2, d: 3, K: 2 },
    { n: 7, d: 5, K: 3 },
    { n: 33, d: 16, K: 4 },
    { n: 64, d: 17, K: 5 },
    { n: 101, d: 200, K: 10 },
    { n: 50, d: 384, K: 77 },
    { n: 3, d: 1, K: 9 },
    { n: 1500, d: 100, K: 2 },
  ];
  for (const { n, d, K } of shapes) {
    it(`agree within the stated bound on ${n} × ${d}, K = ${K}`, () => {
      const model = randomModel(K, d, n + d + K);
      const X = randomRows(n, d, 11 * n + d);
      const w = computeLogits(model, X, n, "wasm");
      const t = computeLogits(model, X, n, "typescript");
      expect(w.length).toBe(n * K);
      const bound = bounds(model, X, n);
      let worst = 0;
      for (let i = 0; i < n * K; i++) {
        expect(Number.isFinite(w[i]!)).toBe(true);
        worst = Math.max(worst, Math.abs(w[i]! - t[i]!) / bound[i]!);
      }
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it("is not the reference by accident: a wrong weight layout would break the bound", () => {
    // Guards the comparison itself: a transposed model gives logits far outside the bound.
    const model = randomModel(4, 8, 3);
    const X = randomRows(5, 8, 4);
    const t = computeLogits(model, X, 5, "typescript");
    const transposed = {
      ...model,
      weights: Float32Array.from({ length: 32 }, (_, i) => model.weights[(i % 4) * 8 + Math.floor(i / 4)]!),
    };
    const w = computeLogits(transposed, X, 5, "wasm");
    const bound = bounds(model, X, 5);
    expect(Array.from(w).some((v, i) => Math.abs(v - t[i]!) > bound[i]!)).toBe(true);
  });

  it("gives each row the same bits however the pool is cut (pairing and blocks)", () => {
    const n = 1200,
      d = 384,
      K = 10; // more rows than one block of ~340
    const model = randomModel(K, d, 5);
    const X = randomRows(n, d, 6);
    const whole = computeLogits(model, X, n, "wasm");
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [1, 1200],
      [341, 344],
      [599, 1200],
    ] as const) {
      const part = computeLogits(model, X.subarray(from * d, to * d), to - from, "wasm");
      expect(Array.from(part)).toEqual(Array.from(whole.subarray(from * K, to * K)));
    }
  });

  it("keeps a NaN (or infinite) feature in its own row, as the reference does", () => {
    const n = 6,
      d = 13,
      K = 6;
    const model = randomModel(K, d, 8);
    const X = randomRows(n, d, 9);
    X[2 * d + 12] = NaN; // the last column: inside the padded tail of dp = 16
    X[3 * d] = Infinity;
    const w = computeLogits(model, X, n, "wasm");
    const t = computeLogits(model, X, n, "typescript");
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const bad = i === 2 || i === 3;
        expect(Number.isFinite(w[i * K + k]!)).toBe(!bad);
        expect(Number.isNaN(w[i * K + k]!) || !Number.isFinite(w[i * K + k]!)).toBe(!Number.isFinite(t[i * K + k]!));
      }
    }
    expect(Number.isNaN(w[2 * K]!)).toBe(true);
  });

  it("propagates a NaN weight to every row of its class only", () => {
    const n = 5,
      d = 8,
      K = 5;
    const model = randomModel(K, d, 12);
    model.weights[4 * d + 3] = NaN; // class 4: the one class of the second group of four
    const w = computeLogits(model, randomRows(n, d, 13), n, "wasm");
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) expect(Number.isNaN(w[i * K + k]!)).toBe(k === 4);
  });

  it("answers no rows with no logits", () => {
    expect(computeLogits(randomModel(3, 7, 1), new Float32Array(0), 0, "wasm").length).toBe(0);
  });
});
