import { describe, expect, it } from "vitest";
import { createRng } from "@/ml/rng";
import { buildLogisticObjective, trainLogisticRegression, type Targets } from "@/ml/train-logistic-regression";
import { createLogisticWasm, wasmFeatureSums, wasmLogisticAvailable } from "@/ml/wasm-logistic-kernel";

// The WebAssembly kernel repeats the TypeScript loop's arithmetic in its order (four partial sums per logit, the
// ragged tail into the first, gradient rows added one after another), so the two must agree to the bit — any
// tolerance here would hide a change of order.

function rows(n: number, d: number, seed: number, spread = 2): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => (rng.next() - 0.5) * spread);
}

function singleLabel(n: number, K: number, seed: number, absent: number[] = []): Targets {
  const rng = createRng(seed);
  const present = Array.from({ length: K }, (_, k) => k).filter((k) => !absent.includes(k));
  return {
    task: "single-label",
    y: Int32Array.from({ length: n }, () => present[Math.floor(rng.next() * present.length)]!),
  };
}

function multiLabel(n: number, K: number, seed: number): Targets {
  const rng = createRng(seed);
  // Output 0 is never on and output K − 1 always on (both untrainable, fixed logits); the rest are random.
  return {
    task: "multi-label",
    Y: Uint8Array.from({ length: n * K }, (_, j) => (j % K === 0 ? 0 : j % K === K - 1 ? 1 : rng.next() < 0.4 ? 1 : 0)),
  };
}

/** f and ∇f from both kernels at the same θ; they must be equal to the bit. */
function expectSameObjective(
  X: Float32Array,
  n: number,
  d: number,
  K: number,
  targets: Targets,
  theta: (P: number) => Float64Array,
  extra: { classWeight?: "balanced"; sampleWeight?: Float32Array } = {},
): void {
  const classes = Array.from({ length: K }, (_, k) => `c${k}`);
  const ts = buildLogisticObjective(X, n, d, classes, targets, { ...extra, kernel: "typescript" });
  const wasm = buildLogisticObjective(X, n, d, classes, targets, extra);
  const th = theta(ts.theta0.length);
  const g1 = new Float64Array(th.length);
  const g2 = new Float64Array(th.length);
  const f1 = ts.fg(th, g1);
  const f2 = wasm.fg(th, g2);
  expect(f2).toBe(f1);
  expect(Array.from(g2)).toEqual(Array.from(g1));
}

const randomTheta = (seed: number, s: number) => (P: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: P }, () => (rng.next() - 0.5) * s);
};

describe.runIf(wasmLogisticAvailable())(
  "logistic objective: WebAssembly kernel against the TypeScript reference",
  () => {
    // Odd and even n (tiles of 32, rows paired), d below, at and off multiples of 4 and 8, K odd and even.
    const shapes = [
      { n: 1, d: 1, K: 1 },
      { n: 2, d: 3, K: 2 },
      { n: 7, d: 5, K: 3 },
      { n: 33, d: 8, K: 4 },
      { n: 65, d: 17, K: 5 },
      { n: 101, d: 200, K: 10 },
      { n: 97, d: 13, K: 77 },
      { n: 4_200, d: 31, K: 7 },
    ];
    for (const { n, d, K } of shapes) {
      it(`gives the same bits, softmax, ${n} × ${d}, K = ${K}`, () => {
        const X = rows(n, d, n + d + K);
        expectSameObjective(X, n, d, K, singleLabel(n, K, 3 * n + K), randomTheta(n * K, 1));
      });
      it(`gives the same bits, one-vs-rest, ${n} × ${d}, K = ${K}`, () => {
        const X = rows(n, d, 7 * n + d);
        expectSameObjective(X, n, d, K, multiLabel(n, K, n + 5 * K), randomTheta(d + K, 1));
      });
    }

    it("gives the same bits with balanced class weights, sample weights and absent classes", () => {
      const n = 301;
      const d = 22;
      const K = 9;
      const X = rows(n, d, 5);
      const sampleWeight = Float32Array.from({ length: n }, (_, i) => 0.25 + (i % 7) / 3);
      expectSameObjective(X, n, d, K, singleLabel(n, K, 6, [2, 8]), randomTheta(7, 0.5), {
        classWeight: "balanced",
        sampleWeight,
      });
      expectSameObjective(X, n, d, K, multiLabel(n, K, 8), randomTheta(9, 0.5), { classWeight: "balanced" });
    });

    it("follows the overflow guards at huge logits and propagates a non-finite θ the same way", () => {
      const n = 40;
      const d = 6;
      const K = 3;
      const X = rows(n, d, 12, 40);
      // Logits of order 1e5–1e300: softmax's max shift and softplus's branches keep f finite in both.
      for (const scale of [1e4, 1e300]) {
        expectSameObjective(X, n, d, K, singleLabel(n, K, 13), randomTheta(14, scale));
        expectSameObjective(X, n, d, K, multiLabel(n, K, 15), randomTheta(16, scale));
      }
      const withNaN = (P: number) => {
        const t = randomTheta(17, 1)(P);
        t[4] = NaN;
        return t;
      };
      const withInf = (P: number) => {
        const t = randomTheta(18, 1)(P);
        t[1] = Infinity;
        return t;
      };
      for (const theta of [withNaN, withInf]) {
        expectSameObjective(X, n, d, K, singleLabel(n, K, 19), theta);
        expectSameObjective(X, n, d, K, multiLabel(n, K, 20), theta);
      }
    });

    it("sums the features row after row like featureStandardization (the same bits), odd d included", () => {
      for (const [n, d] of [
        [1, 1],
        [37, 13],
        [1_000, 24],
      ] as const) {
        const X = rows(n, d, n + d, 50);
        const { s, s2 } = wasmFeatureSums(createLogisticWasm(X, n, d, 3, 1)!, n, d);
        const rs = new Float64Array(d);
        const rs2 = new Float64Array(d);
        for (let i = 0; i < n; i++)
          for (let j = 0; j < d; j++) {
            const v = X[i * d + j]!;
            rs[j] = rs[j]! + v;
            rs2[j] = rs2[j]! + v * v;
          }
        expect(Array.from(s)).toEqual(Array.from(rs));
        expect(Array.from(s2)).toEqual(Array.from(rs2));
      }
    });

    it("rejects a non-finite feature and names its row, as the TypeScript path does", () => {
      const n = 50;
      const d = 7;
      const classes = ["a", "b"];
      const targets = singleLabel(n, 2, 1);
      for (const bad of [NaN, Infinity, -Infinity]) {
        const X = rows(n, d, 2);
        X[23 * d + 4] = bad;
        for (const kernel of ["auto", "typescript"] as const)
          expect(() => buildLogisticObjective(X, n, d, classes, targets, { kernel })).toThrow(
            "non-finite feature at row 23",
          );
      }
      // The largest finite float32 squared stays finite in float64: no false alarm.
      const X = rows(n, d, 3);
      X[5] = 3.4e38;
      expect(() => buildLogisticObjective(X, n, d, classes, targets).close()).not.toThrow();
    });

    it("fits the same model in the same number of evaluations", () => {
      const n = 2_000;
      const d = 12;
      const classes = ["a", "b", "c", "d", "e"];
      const X = rows(n, d, 21);
      const y = Int32Array.from(
        { length: n },
        (_, i) => (X[i * d]! > 0.5 ? 0 : X[i * d + 1]! > 0 ? 1 : i % 3) + 2 * Number(X[i * d + 2]! > 0.8),
      );
      const targets: Targets = { task: "single-label", y };
      const ts = trainLogisticRegression(X, n, d, classes, targets, { kernel: "typescript" });
      const wasm = trainLogisticRegression(X, n, d, classes, targets);
      expect(wasm.optimizer.evaluations).toBe(ts.optimizer.evaluations);
      expect(wasm.optimizer.f).toBe(ts.optimizer.f);
      expect(Array.from(wasm.model.weights)).toEqual(Array.from(ts.model.weights));
      expect(ts.optimizer.converged).toBe(true);
    });
  },
);
