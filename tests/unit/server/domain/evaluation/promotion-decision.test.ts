import { describe, expect, it } from "vitest";
import { evaluateOnTestSet } from "@/server/domain/evaluation/evaluate-on-test-set";
import { decidePromotion } from "@/server/domain/evaluation/promotion-decision";
import type { TestSet } from "@/server/domain/evaluation/test-set";

// 200 test items of two classes (ids 11 and 12), alternating.
const classIds = [11, 12];
const testSet: TestSet = {
  items: Array.from({ length: 200 }, (_, i) => ({
    itemId: i + 1,
    contentHash: `h${i}`,
    text: `t${i}`,
    classIds: [classIds[i % 2]!],
  })),
  key: "k",
  target: 100,
};

/** A version's evaluation that gets item i wrong when wrong(i). */
function evaluation(wrong: (i: number) => boolean) {
  const proba = new Float32Array(200 * 2);
  testSet.items.forEach((_, i) => {
    const right = i % 2;
    const k = wrong(i) ? 1 - right : right;
    proba[i * 2 + k] = 0.9;
    proba[i * 2 + (1 - k)] = 0.1;
  });
  return evaluateOnTestSet(
    { task: "single-label", classIds, classNames: ["a", "b"], probabilities: proba, thresholds: [0, 0] },
    testSet,
  )!;
}

const activeEval = evaluation((i) => i % 10 === 0); // 90% right
const decide = (policy: "always" | "when_not_worse" | "never", candidateWrong: (i: number) => boolean, active = true) =>
  decidePromotion({
    policy,
    items: testSet.items,
    classIds,
    candidate: { versionId: 8, number: 3, evaluation: evaluation(candidateWrong) },
    active: active ? { versionId: 7, number: 2, evaluation: activeEval } : null,
  });

describe("decidePromotion", () => {
  it("when not worse: a clearly worse retrain stays inactive with the reason", () => {
    const d = decide("when_not_worse", (i) => i % 10 === 0 || i % 3 === 0); // ~60% right
    expect(d.activate).toBe(false);
    expect(d.note).toMatch(
      /^Not activated: worse than the active v2 beyond noise — macro-F1 −\d+\.\d points vs v2 \(95% interval −\d+\.\d to −\d+\.\d\) on 200 test items\.$/,
    );
  });

  it("when not worse: a retrain within noise of the active version, or better, goes live", () => {
    expect(decide("when_not_worse", (i) => i % 10 === 0 || i === 1)).toEqual({ activate: true, note: null }); // one item worse
    expect(decide("when_not_worse", (i) => i % 20 === 0)).toEqual({ activate: true, note: null });
  });

  it("always / never / no active version", () => {
    expect(decide("always", (i) => i % 2 === 0).activate).toBe(true);
    const never = decide("never", () => false);
    expect(never.activate).toBe(false);
    expect(never.note).toContain('"never"');
    expect(decide("never", (i) => i % 2 === 0, false).activate).toBe(true);
  });

  it("without labeled test items there is no evidence of worse: it goes live and says so", () => {
    const d = decidePromotion({
      policy: "when_not_worse",
      items: [],
      classIds,
      candidate: { versionId: 8, number: 3, evaluation: null },
      active: { versionId: 7, number: 2, evaluation: null },
    });
    expect(d.activate).toBe(true);
    expect(d.note).toContain("no labeled items");
  });
});

describe("evaluateOnTestSet", () => {
  it("carries Wilson intervals for accuracy and per-class rates and the predictions per item", () => {
    const e = activeEval;
    expect(e.n).toBe(200);
    expect(e.accuracy).toBeCloseTo(0.9, 12);
    expect(e.accuracyCi[0]).toBeLessThan(0.9);
    expect(e.accuracyCi[1]).toBeGreaterThan(0.9);
    expect(e.macroF1Ci[0]).toBeLessThanOrEqual(e.macroF1);
    expect(e.macroF1Ci[1]).toBeGreaterThanOrEqual(e.macroF1);
    expect(e.perClass.map((c) => c.classId)).toEqual(classIds);
    expect(e.perClass[0]!.recallCi[0]).toBeLessThan(e.perClass[0]!.recall);
    expect(e.predicted[0]).toEqual([12]); // item 0 (class 11) is one of the wrong ones
    expect(e.predicted[1]).toEqual([12]);
  });
});
