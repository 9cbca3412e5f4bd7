import { describe, expect, it } from "vitest";
import { fitClassifier } from "@/ml/fit-classifier";
import { minimizeLbfgs, type ObjectiveFn } from "@/ml/lbfgs";
import { predictProba } from "@/ml/linear-model";
import { createRng } from "@/ml/rng";
import { fittedScale, trainLogisticRegression } from "@/ml/train-logistic-regression";
import { expectClose } from "../../helpers/expect-close";

/** f(x) = ½ Σ a_i (x_i − 1)², curvatures a_i in [20, 40]: far from the default first step's unit scale. */
const quadratic: ObjectiveFn = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const a = 20 + (20 * i) / x.length;
    f += 0.5 * a * (x[i]! - 1) ** 2;
    g[i] = a * (x[i]! - 1);
  }
  return f;
};

describe("L-BFGS initialScale (the previous fit's curvature for a warm start)", () => {
  it("reports its last inverse-curvature scale, and a first step scaled by it needs fewer evaluations", () => {
    const x0 = new Float64Array(50).fill(0.999);
    const plain = minimizeLbfgs(quadratic, x0, { gtol: 1e-10, ftol: 0 });
    // On this quadratic γ = sᵀy/yᵀy lies between the inverse curvatures 1/40 and 1/20.
    expect(plain.scale).toBeGreaterThanOrEqual(1 / 40 - 1e-12);
    expect(plain.scale).toBeLessThanOrEqual(1 / 20 + 1e-12);
    const scaled = minimizeLbfgs(quadratic, x0, { gtol: 1e-10, ftol: 0, initialScale: plain.scale });
    expect(scaled.evaluations).toBeLessThan(plain.evaluations);
    expectClose(scaled.x, new Float64Array(50).fill(1), { abs: 1e-9 });
  });

  it("ignores a scale that is not a positive number", () => {
    const x0 = new Float64Array(5).fill(0.5);
    const plain = minimizeLbfgs(quadratic, x0);
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(minimizeLbfgs(quadratic, x0, { initialScale: bad }).history).toEqual(plain.history);
    }
  });

  it("a warm retrain after a few new rows takes fewer evaluations with the previous scale, to the same model", () => {
    const n = 2000,
      d = 12,
      K = 4;
    const rng = createRng(21);
    const centers = Array.from({ length: K * d }, () => rng.next() - 0.5);
    const X = new Float32Array((n + 20) * d);
    const y = new Int32Array(n + 20);
    for (let i = 0; i < n + 20; i++) {
      y[i] = i % K;
      for (let j = 0; j < d; j++) X[i * d + j] = centers[(i % K) * d + j]! + 1.5 * (rng.next() - 0.5);
    }
    const classes = ["a", "b", "c", "d"];
    const cold = trainLogisticRegression(
      X.subarray(0, n * d),
      n,
      d,
      classes,
      { task: "single-label", y: y.subarray(0, n) },
      { l2: 1e-3 },
    );
    expect(Number.isFinite(cold.optimizer.scale)).toBe(true);
    const targets = { task: "single-label" as const, y };
    const without = trainLogisticRegression(X, n + 20, d, classes, targets, { l2: 1e-3, warmStart: cold.model });
    const withScale = trainLogisticRegression(X, n + 20, d, classes, targets, {
      l2: 1e-3,
      warmStart: cold.model,
      warmStartScale: cold.optimizer.scale,
    });
    expect(withScale.optimizer.reason).toBe("gtol");
    expect(withScale.optimizer.evaluations).toBeLessThan(without.optimizer.evaluations);
    expectClose(withScale.optimizer.f, without.optimizer.f, { rel: 1e-6 });
    expectClose(predictProba(withScale.model, X, n + 20), predictProba(without.model, X, n + 20), { abs: 1e-3 });
  });
});

describe("fitClassifier's retrain with an inherited calibration (the automatic retrain every few dozen labels)", () => {
  // Well-separated classes: the gradient at the warm start is tiny, and a unit-scaled first step needs several
  // doublings (the case the option is for; on overlapping classes it saves 0–1 evaluations, sometimes costs one).
  it("keeps the fit's scale in the model and starts the next retrain from it: fewer evaluations, the same model", () => {
    const n = 6000,
      d = 30,
      K = 4,
      extra = 40;
    const rng = createRng(31);
    const centers = Array.from({ length: K * d }, () => 2 * (rng.next() - 0.5));
    const X = new Float32Array((n + extra) * d);
    const y = new Int32Array(n + extra);
    for (let i = 0; i < n + extra; i++) {
      y[i] = i % K;
      for (let j = 0; j < d; j++) X[i * d + j] = centers[(i % K) * d + j]! + 2 * (rng.next() - 0.5);
    }
    const classes = ["a", "b", "c", "d"];
    const first = fitClassifier(
      X,
      n,
      d,
      classes,
      { task: "single-label", y: y.subarray(0, n) },
      { featurizerId: "test", seed: 1 },
    );
    const scale = fittedScale(first.model);
    expect(scale).toBeGreaterThan(0);
    expect(first.calibration).not.toBeNull();
    const retrain = (model: typeof first.model) =>
      fitClassifier(
        X,
        n + extra,
        d,
        classes,
        { task: "single-label", y },
        { featurizerId: "test", seed: 1, warmStart: model, warmStartCalibration: first.calibration },
      );
    const withScale = retrain(first.model);
    const without = retrain({
      ...first.model,
      metrics: { ...first.model.metrics, optimizer: { ...(first.model.metrics.optimizer as object), scale: null } },
    });
    const opt = (r: typeof withScale) =>
      r.model.metrics.optimizer as { evaluations: number; loss: number; reason: string };
    expect(withScale.calibration?.trainRows).toBe(n); // the inherited path: final fit only
    expect(opt(withScale).reason).toBe("gtol");
    expect(opt(withScale).evaluations).toBeLessThan(opt(without).evaluations);
    expectClose(opt(withScale).loss, opt(without).loss, { abs: 1e-6 }); // both stop at gtol 1e-5: equal to far below it
  });
});
