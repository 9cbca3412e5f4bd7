import { describe, expect, it } from "vitest";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { predict, predictProba } from "@/ml/linear-model";
import { createRng } from "@/ml/rng";
import { softmaxRowsInPlace } from "@/ml/softmax";
import { buildLogisticObjective, trainLogisticRegression, type Targets } from "@/ml/train-logistic-regression";
import { expectClose } from "../../helpers/expect-close";
import { numericGradient } from "../../helpers/numeric-gradient";

/** Gaussian blobs: K classes in d dims, centers at distance `sep`. */
function blobs(n: number, d: number, K: number, sep: number, seed: number): { X: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centers = Array.from({ length: K }, () => Array.from({ length: d }, () => gauss() * sep));
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    y[i] = c;
    for (let j = 0; j < d; j++) X[i * d + j] = centers[c]![j]! + gauss();
  }
  return { X, y };
}

function finiteDifferenceCheck(
  targets: Targets,
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  classWeight: "none" | "balanced",
): void {
  const { fg } = buildLogisticObjective(X, n, d, classes, targets, { l2: 0.05, classWeight });
  const K = classes.length;
  const rng = createRng(3);
  const theta = new Float64Array(K * d + K).map(() => rng.next() - 0.5);
  const grad = new Float64Array(theta.length);
  fg(theta, grad);
  expectClose(grad, numericGradient(fg, theta), { abs: 1e-6, rel: 1e-4 });
}

describe("softmax", () => {
  it("is uniform for equal logits and stable for huge ones", () => {
    const z = new Float64Array([3, 3, 3, 3, 1000, 1000, -1000, 0]);
    softmaxRowsInPlace(z, 2, 4);
    expectClose(z.subarray(0, 4), [0.25, 0.25, 0.25, 0.25], { abs: 1e-12 });
    expectClose(z.subarray(4, 8), [0.5, 0.5, 0, 0], { abs: 1e-12 });
    const bad = new Float32Array([NaN, 1, 2, 3]);
    softmaxRowsInPlace(bad, 1, 4);
    expectClose(bad, [0.25, 0.25, 0.25, 0.25], { abs: 1e-7 });
  });
});

describe("L-BFGS", () => {
  it("minimizes the Rosenbrock function to its known optimum (1, 1)", () => {
    const res = minimizeLbfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      new Float64Array([-1.2, 1]),
      { gtol: 1e-8, maxIter: 500 },
    );
    expect(res.converged).toBe(true);
    expectClose(res.x, [1, 1], { abs: 1e-5 });
  });
});

describe("trainLogisticRegression", () => {
  const { X, y } = blobs(60, 3, 3, 1.0, 1);
  const classes = ["a", "b", "c"];

  it("softmax gradient matches central finite differences (plain and balanced)", () => {
    const yImb = Int32Array.from(y, (v, i) => (i < 40 ? v : 0));
    finiteDifferenceCheck({ task: "single-label", y }, X, 60, 3, classes, "none");
    finiteDifferenceCheck({ task: "single-label", y: yImb }, X, 60, 3, classes, "balanced");
  });

  it("one-vs-rest gradient matches central finite differences", () => {
    const Y = new Uint8Array(60 * 3);
    for (let i = 0; i < 60; i++) {
      Y[i * 3 + y[i]!] = 1;
      if (i % 5 === 0) Y[i * 3 + ((y[i]! + 1) % 3)] = 1;
    }
    finiteDifferenceCheck({ task: "multi-label", Y }, X, 60, 3, classes, "balanced");
  });

  it("loss decreases monotonically and converges by tolerance", () => {
    const { X: X2, y: y2 } = blobs(300, 5, 4, 1.5, 2);
    const res = trainLogisticRegression(
      X2,
      300,
      5,
      ["a", "b", "c", "d"],
      { task: "single-label", y: y2 },
      { l2: 1e-3 },
    );
    const h = res.optimizer.history;
    for (let i = 1; i < h.length; i++) expect(h[i]!).toBeLessThanOrEqual(h[i - 1]!);
    expect(h[h.length - 1]!).toBeLessThan(h[0]! * 0.5);
    expect(res.optimizer.converged).toBe(true);
  });

  it("fits linearly separable data perfectly", () => {
    const { X: X2, y: y2 } = blobs(200, 4, 3, 8, 4);
    const { model } = trainLogisticRegression(
      X2,
      200,
      4,
      ["a", "b", "c"],
      { task: "single-label", y: y2 },
      { l2: 1e-4 },
    );
    const pred = predict(model, X2, 200);
    expect(Array.from(pred)).toEqual(Array.from(y2));
  });

  it("is deterministic and warm start reaches the same optimum in fewer iterations", () => {
    const { X: X2, y: y2 } = blobs(400, 6, 3, 1, 5);
    const cls = ["a", "b", "c"];
    const a = trainLogisticRegression(X2, 400, 6, cls, { task: "single-label", y: y2 }, { gtol: 1e-7 });
    const b = trainLogisticRegression(X2, 400, 6, cls, { task: "single-label", y: y2 }, { gtol: 1e-7 });
    expect(Array.from(a.model.weights)).toEqual(Array.from(b.model.weights));
    // Warm start from a model trained on the first half (different standardization).
    const half = trainLogisticRegression(X2.subarray(0, 200 * 6), 200, 6, cls, {
      task: "single-label",
      y: y2.subarray(0, 200),
    });
    const warm = trainLogisticRegression(
      X2,
      400,
      6,
      cls,
      { task: "single-label", y: y2 },
      { gtol: 1e-7, warmStart: half.model },
    );
    expect(warm.optimizer.iterations).toBeLessThan(a.optimizer.iterations);
    expectClose(predictProba(warm.model, X2, 400), predictProba(a.model, X2, 400), { abs: 1e-4 });
  });

  it("warm start re-expresses the previous model exactly before optimizing", () => {
    const { X: X2, y: y2 } = blobs(100, 3, 2, 1, 6);
    const prev = trainLogisticRegression(X2.subarray(0, 150), 50, 3, ["a", "b"], {
      task: "single-label",
      y: y2.subarray(0, 50),
    }).model;
    const warm = trainLogisticRegression(
      X2,
      100,
      3,
      ["b", "a", "new"],
      { task: "single-label", y: Int32Array.from(y2, (v) => 1 - v) },
      { warmStart: prev, maxIter: 0 },
    );
    const p0 = predictProba(prev, X2, 100);
    const p1 = predictProba(warm.model, X2, 100);
    // "new" has no examples → probability ~0; a/b swap order.
    for (let i = 0; i < 100; i++) {
      expectClose([p1[i * 3 + 1]!, p1[i * 3]!, p1[i * 3 + 2]!], [p0[i * 2]!, p0[i * 2 + 1]!, 0], { abs: 1e-5 });
    }
  });

  it("handles one class, absent classes and constant features", () => {
    const X1 = new Float32Array([1, 2, 1, 2, 1, 2]);
    const one = trainLogisticRegression(X1, 3, 2, ["only", "other"], {
      task: "single-label",
      y: new Int32Array([0, 0, 0]),
    });
    expect(Array.from(predict(one.model, X1, 3))).toEqual([0, 0, 0]);
    const p = predictProba(one.model, X1, 3);
    expectClose(p, [1, 0, 1, 0, 1, 0], { abs: 1e-6 });
    expect(p.every(Number.isFinite)).toBe(true);
  });

  it("rejects empty input and non-finite features with clear errors", () => {
    expect(() =>
      trainLogisticRegression(new Float32Array(0), 0, 2, ["a"], { task: "single-label", y: new Int32Array(0) }),
    ).toThrow(/no training examples/);
    expect(() =>
      trainLogisticRegression(new Float32Array([NaN, 1]), 1, 2, ["a"], {
        task: "single-label",
        y: new Int32Array([0]),
      }),
    ).toThrow(/non-finite/);
    const { model } = trainLogisticRegression(X, 60, 3, classes, { task: "single-label", y });
    expect(predictProba(model, new Float32Array(0), 0).length).toBe(0);
  });

  it("multi-label one-vs-rest learns independent labels", () => {
    const { X: X2 } = blobs(300, 2, 1, 0, 7);
    const Y = new Uint8Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      Y[i * 2] = X2[i * 2]! > 0 ? 1 : 0;
      Y[i * 2 + 1] = X2[i * 2 + 1]! > 0 ? 1 : 0;
    }
    const { model } = trainLogisticRegression(X2, 300, 2, ["x+", "y+"], { task: "multi-label", Y }, { l2: 1e-4 });
    const P = predictProba(model, X2, 300);
    let correct = 0;
    for (let i = 0; i < 600; i++) if ((P[i]! >= 0.5 ? 1 : 0) === Y[i]) correct++;
    expect(correct / 600).toBeGreaterThan(0.97);
  });

  it("reaches the same minimum in fewer iterations when preconditioned with the features' second moments", () => {
    // Strongly correlated features: each column is a shared factor plus a little noise (as embedding dimensions are).
    const rng = createRng(5);
    const n = 2000,
      d = 20;
    const Xc = new Float32Array(n * d);
    const yc = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const factor = rng.next() * 2 - 1;
      for (let j = 0; j < d; j++)
        Xc[i * d + j] = factor * (1 + j / d) + 0.05 * (rng.next() - 0.5) + (j === 3 ? 0.3 * (rng.next() - 0.5) : 0);
      yc[i] = Xc[i * d + 3]! - Xc[i * d]! > 0 ? 1 : factor > 0.3 ? 2 : 0;
    }
    const targets: Targets = { task: "single-label", y: yc };
    const plain = trainLogisticRegression(Xc, n, d, ["a", "b", "c"], targets, { l2: 1e-3, precondition: false });
    const pre = trainLogisticRegression(Xc, n, d, ["a", "b", "c"], targets, { l2: 1e-3 });
    expect(plain.optimizer.converged && pre.optimizer.converged).toBe(true);
    expectClose(pre.optimizer.f, plain.optimizer.f, { abs: 1e-7 });
    expectClose(predictProba(pre.model, Xc, n), predictProba(plain.model, Xc, n), { abs: 2e-3 });
    expect(pre.optimizer.iterations).toBeLessThan(plain.optimizer.iterations / 2);
  });
});
