import { describe, expect, it } from "vitest";
import { bootstrapMacroF1, oneHot } from "@/ml/bootstrap-macro-f1";
import { verdictOf } from "@/server/domain/evaluation/paired-comparison";
import { wilsonInterval } from "@/ml/wilson-interval";
import { expectClose } from "../../helpers/expect-close";

describe("wilsonInterval", () => {
  it("matches hand-computed 95% intervals", () => {
    // 8 of 10: centre (0.8 + z²/20) / (1 + z²/10) = 0.71674, half-width 0.22658.
    expectClose(wilsonInterval(8, 10), [0.490159, 0.943315], { abs: 1e-5 });
    // 0 of 10: the lower bound stays at 0, the upper is z²/(n + z²) = 0.27753 (the "rule of three" is 0.3).
    expectClose(wilsonInterval(0, 10), [0, 0.277533], { abs: 1e-5 });
    expectClose(wilsonInterval(10, 10), [0.722467, 1], { abs: 1e-5 });
    // 50 of 100: 0.5 ± 0.09617 (centre stays at 0.5).
    expectClose(wilsonInterval(50, 100), [0.403831, 0.596169], { abs: 1e-5 });
  });

  it("is the whole range without data and refuses impossible counts", () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});

describe("bootstrapMacroF1", () => {
  // Two rows, truth [0, 1]. A predicts [0, 0]; B is right on both.
  const truth = oneHot([0, 1], 2);
  const A = oneHot([0, 0], 2);
  const B = oneHot([0, 1], 2);

  it("gives the plain macro-F1 as estimate and the hand-enumerated resampling range", () => {
    // Resamples of 2 rows: {0,0} (¼) macro-F1 1 (class 1 absent); {1,1} (¼) 0; mixed (½) F1₀ = 2/3, F1₁ = 0 → 1/3.
    // Each extreme has probability ¼ > 2.5%, so the 95% interval is [0, 1].
    const { perModel, difference } = bootstrapMacroF1(truth, [A, B], 2, 2, { seed: 1 });
    expectClose(perModel[0]!.estimate, 1 / 3, { abs: 1e-12 });
    expect(perModel[0]!.ci95).toEqual([0, 1]);
    expect(perModel[1]!.estimate).toBe(1);
    expect(perModel[1]!.ci95).toEqual([1, 1]);
    // B − A per resample: 0, 1 or 2/3 → estimate 2/3, interval [0, 1].
    expectClose(difference!.estimate, 2 / 3, { abs: 1e-12 });
    expect(difference!.ci95).toEqual([0, 1]);
    expect(verdictOf(difference!.ci95)).toBe("no-difference");
  });

  it("is seeded: the same seed gives the same interval, and a clear gap on many rows is 'better'", () => {
    const n = 300;
    const y = Array.from({ length: n }, (_, i) => i % 3);
    // A is wrong on every third row of class 0 and 1; B on every tenth row.
    const predA = y.map((k, i) => (i % 4 === 0 && k < 2 ? (k + 1) % 3 : k));
    const predB = y.map((k, i) => (i % 10 === 0 ? (k + 1) % 3 : k));
    const T = oneHot(y, 3);
    const run = () => bootstrapMacroF1(T, [oneHot(predA, 3), oneHot(predB, 3)], n, 3, { seed: 42 });
    const first = run();
    expect(run()).toEqual(first);
    expect(first.difference!.ci95[0]).toBeGreaterThan(0);
    expect(verdictOf(first.difference!.ci95)).toBe("better");
    expect(verdictOf([-0.1, -0.01])).toBe("worse");
  });
});
