import { describe, expect, it } from "vitest";
import { krippendorffAlphaNominal } from "@/ml/krippendorff-alpha";
import { expectClose } from "../../helpers/expect-close";

describe("krippendorffAlphaNominal", () => {
  it("matches Krippendorff's worked example (4 coders, 12 units, missing values): α = 0.743", () => {
    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal α = 0.743.
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null];
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3];
    const C = [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null];
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null];
    const units = A.map((_, u) => [A[u], B[u], C[u], D[u]].filter((v): v is number => v !== null));
    const result = krippendorffAlphaNominal(units);
    expectClose(result.alpha, 0.743, { abs: 5e-4 });
    expect(result.pairableValues).toBe(40);
  });

  it("is 1 for perfect agreement, near 0 for agreement at chance level, negative for systematic disagreement", () => {
    expect(
      krippendorffAlphaNominal([
        [1, 1],
        [2, 2],
        [3, 3, 3],
      ]).alpha,
    ).toBe(1);
    // Two annotators who always disagree on a binary task.
    expect(
      krippendorffAlphaNominal([
        [0, 1],
        [1, 0],
        [0, 1],
        [1, 0],
      ]).alpha,
    ).toBeLessThan(0);
    // Every combination equally often: observed disagreement equals what chance predicts.
    const chance = krippendorffAlphaNominal([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expectClose(chance.alpha, 0, { abs: 0.2 });
    expectClose(chance.observedAgreement, 0.5, { abs: 1e-12 });
  });

  it("ignores units with one value and reports NaN when nothing can be paired", () => {
    expect(krippendorffAlphaNominal([[1], [2], []]).alpha).toBeNaN();
    expect(krippendorffAlphaNominal([[1], [2, 2], [3, 3]]).pairableValues).toBe(4);
    expect(
      krippendorffAlphaNominal([
        [4, 4],
        [4, 4],
      ]).alpha,
    ).toBe(1);
  });
});
