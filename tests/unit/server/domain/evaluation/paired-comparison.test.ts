import { describe, expect, it } from "vitest";
import { evaluateSingleLabel } from "@/ml/metrics";
import type { StoredEvaluation } from "@/server/domain/evaluation/evaluate-on-test-set";
import { comparePaired } from "@/server/domain/evaluation/paired-comparison";
import type { TestItem } from "@/server/domain/evaluation/test-set";
import { expectClose } from "../../../../helpers/expect-close";

describe("comparePaired", () => {
  it("counts discordant pairs, lists disagreements and bootstraps deterministically", () => {
    const classIds = [10, 11, 12];
    const y = [0, 0, 1, 1, 2, 2, 0, 1];
    const a = [0, 1, 1, 0, 2, 2, 0, 1];
    const b = [0, 0, 1, 1, 2, 1, 0, 1];
    const items: TestItem[] = y.map((k, i) => ({
      itemId: i + 1,
      contentHash: `h${i}`,
      text: `t${i}`,
      classIds: [classIds[k]!],
    }));
    // comparePaired reads only the test-set key, its size and the predictions of a stored evaluation.
    const stored = (pred: number[]) =>
      ({ n: pred.length, testSetKey: "k", predicted: pred.map((k) => [classIds[k]!]) }) as unknown as StoredEvaluation;
    const cmp = comparePaired(
      items,
      classIds,
      { versionId: 1, evaluation: stored(a) },
      { versionId: 2, evaluation: stored(b) },
    );
    expect(cmp.mcnemar.b).toBe(1);
    expect(cmp.mcnemar.c).toBe(2);
    expect(cmp.disagreements).toEqual([1, 3, 5]);
    const names = ["p", "q", "r"];
    expectClose(
      cmp.macroF1Diff.estimate,
      evaluateSingleLabel(y, b, names).macro.f1 - evaluateSingleLabel(y, a, names).macro.f1,
      { abs: 1e-12 },
    );
    expect(cmp.macroF1Diff.ci95[0]).toBeLessThanOrEqual(cmp.macroF1Diff.ci95[1]);
    const again = comparePaired(
      items,
      classIds,
      { versionId: 1, evaluation: stored(a) },
      { versionId: 2, evaluation: stored(b) },
    );
    expect(again.macroF1Diff.ci95).toEqual(cmp.macroF1Diff.ci95);
    // Either direction draws the same resamples: the interval is mirrored.
    const reversed = comparePaired(
      items,
      classIds,
      { versionId: 2, evaluation: stored(b) },
      { versionId: 1, evaluation: stored(a) },
    );
    expect(reversed.macroF1Diff.ci95).toEqual([-cmp.macroF1Diff.ci95[1], -cmp.macroF1Diff.ci95[0]]);
  });
});
