import { describe, expect, it } from "vitest";
import { mcnemarExact } from "@/ml/compare-classifiers";
import { evaluateSingleLabel, expectedCalibrationError, logLoss } from "@/ml/metrics";
import { bootstrapMacroF1 } from "@/ml/bootstrap-macro-f1";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { averagePrecision, precisionRecallCurve, thresholdForTarget } from "@/ml/precision-recall-curve";
import { expectClose } from "../../helpers/expect-close";

describe("evaluateSingleLabel", () => {
  // confusion (rows = truth): [[2,1,0],[0,1,1],[0,0,1]]
  const yTrue = [0, 0, 0, 1, 1, 2];
  const yPred = [0, 0, 1, 1, 2, 2];
  const r = evaluateSingleLabel(yTrue, yPred, ["a", "b", "c"]);

  it("matches a hand-computed confusion matrix", () => {
    expect(r.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expectClose(r.accuracy, 4 / 6, { abs: 1e-12 });
    expectClose(
      r.perClass.map((c) => c.precision),
      [1, 0.5, 0.5],
      { abs: 1e-12 },
    );
    expectClose(
      r.perClass.map((c) => c.recall),
      [2 / 3, 0.5, 1],
      { abs: 1e-12 },
    );
    expectClose(
      r.perClass.map((c) => c.f1),
      [0.8, 0.5, 2 / 3],
      { abs: 1e-12 },
    );
    expectClose(
      r.perClass.map((c) => c.fpr),
      [0, 1 / 4, 1 / 5],
      { abs: 1e-12 },
    );
    expectClose(
      r.perClass.map((c) => c.fnr),
      [1 / 3, 0.5, 0],
      { abs: 1e-12 },
    );
    expectClose(
      [r.macro.precision, r.macro.recall, r.macro.f1],
      [2 / 3, (2 / 3 + 0.5 + 1) / 3, (0.8 + 0.5 + 2 / 3) / 3],
      { abs: 1e-12 },
    );
    expectClose(r.micro.f1, 4 / 6, { abs: 1e-12 });
    expect(Number.isNaN(r.logLoss)).toBe(true);
  });

  it("excludes classes absent from truth and predictions from the macro average and survives empty input", () => {
    const r2 = evaluateSingleLabel([0, 1], [0, 1], ["a", "b", "never"]);
    expectClose(r2.macro.f1, 1, { abs: 1e-12 });
    const empty = evaluateSingleLabel([], [], ["a", "b"]);
    expect(empty.accuracy).toBe(0);
    expect(empty.n).toBe(0);
  });

  it("log-loss, ECE and PR-AUC match hand computations", () => {
    expectClose(logLoss([0.5, 0.5, 0.9, 0.1], [0, 1], 2, 2), (Math.LN2 + Math.log(10)) / 2, { rel: 1e-9 });
    expectClose(logLoss([0, 1], [0], 1, 2), -Math.log(1e-15), { rel: 1e-9 });
    // 10 rows at confidence 0.9, 6 correct → ECE = |0.6 − 0.9| = 0.3
    const probs: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 10; i++) {
      probs.push(0.9, 0.1);
      y.push(i < 6 ? 0 : 1);
    }
    expectClose(expectedCalibrationError(probs, y, 10, 2), 0.3, { abs: 1e-9 });
    const curve = precisionRecallCurve([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]);
    expectClose(averagePrecision(curve), 0.5 * 1 + 0.5 * (2 / 3), { abs: 1e-12 });
    expect(thresholdForTarget(curve, { precision: 0.6 })).toBe(0.7);
    expect(thresholdForTarget(curve, { precision: 1 })).toBe(0.9);
    expect(thresholdForTarget(curve, { recall: 1 })).toBe(0.7);
    expect(Number.isNaN(averagePrecision(precisionRecallCurve([0.1], [0])))).toBe(true);
  });

  it("groups tied scores into one PR point", () => {
    const curve = precisionRecallCurve([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]);
    expect(curve.thresholds.length).toBe(1);
    expectClose(averagePrecision(curve), 0.5, { abs: 1e-12 });
  });
});

describe("evaluateMultiLabel", () => {
  it("matches hand-computed subset accuracy, Hamming loss, micro/macro F1", () => {
    const Y = [1, 0, 1, 1, 0, 0];
    const Yhat = [1, 0, 1, 0, 0, 1];
    const r = evaluateMultiLabel(Y, Yhat, 3, ["x", "y"]);
    expectClose(r.subsetAccuracy, 1 / 3, { abs: 1e-12 });
    expectClose(r.hammingLoss, 2 / 6, { abs: 1e-12 });
    expectClose(
      r.perClass.map((c) => c.f1),
      [1, 0],
      { abs: 1e-12 },
    );
    expectClose([r.micro.precision, r.micro.recall, r.micro.f1], [2 / 3, 2 / 3, 2 / 3], { abs: 1e-12 });
    expectClose(r.macro.f1, 0.5, { abs: 1e-12 });
  });
});

describe("McNemar exact test", () => {
  it("matches hand-computed binomial tails", () => {
    expectClose(mcnemarExact(1, 6), (2 * (1 + 7)) / 128, { rel: 1e-12 });
    expectClose(mcnemarExact(0, 5), 2 / 32, { rel: 1e-12 });
    expectClose(mcnemarExact(6, 0), 2 / 64, { rel: 1e-12 });
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    // 2·P[X ≤ 2], X ~ Bin(12, ½) = 2·(1 + 12 + 66)/4096
    expectClose(mcnemarExact(2, 10), (2 * 79) / 4096, { rel: 1e-12 });
    // Large counts: no underflow to 0 or NaN.
    const p = mcnemarExact(900, 1100);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-4);
  });
});

describe("bootstrapMacroF1 on multi-label predictions", () => {
  // 40 rows, 3 labels: A misses label 2 on every row that has it, B gets everything right but one false positive.
  const n = 40,
    K = 3;
  const Y = new Uint8Array(n * K),
    YA = new Uint8Array(n * K),
    YB = new Uint8Array(n * K);
  for (let i = 0; i < n; i++) {
    Y[i * K + (i % 3)] = 1;
    if (i % 5 === 0) Y[i * K + 2] = 1;
    for (let k = 0; k < K; k++) YB[i * K + k] = Y[i * K + k]!;
    for (let k = 0; k < 2; k++) YA[i * K + k] = Y[i * K + k]!;
  }
  YB[0 * K + 1] = 1;
  const names = ["x", "y", "z"];

  it("estimates the difference evaluateMultiLabel reports, inside its own bootstrap interval", () => {
    const diff = () => bootstrapMacroF1(Y, [YA, YB], n, K, { seed: 3, resamples: 500 }).difference!;
    const d = diff();
    const expected = evaluateMultiLabel(Y, YB, n, names).macro.f1 - evaluateMultiLabel(Y, YA, n, names).macro.f1;
    expectClose(d.estimate, expected, { abs: 1e-12 });
    expect(d.estimate).toBeGreaterThan(0.2);
    expect(d.ci95[0]).toBeLessThanOrEqual(d.estimate);
    expect(d.ci95[1]).toBeGreaterThanOrEqual(d.estimate);
    expect(d.ci95[0]).toBeGreaterThan(0); // B is better on every resample that contains a row with label z
    expect(diff()).toEqual(d);
  });

  it("gives zero, with a zero-width interval, for identical predictions", () => {
    const d = bootstrapMacroF1(Y, [YA, YA], n, K, { seed: 1, resamples: 200 }).difference;
    expect(d).toEqual({ estimate: 0, ci95: [0, 0], resamples: 200 });
  });
});
