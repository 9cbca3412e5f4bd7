import type { DbOrTx } from "@/server/db";
import { currentEvaluations } from "@/server/domain/evaluation/current-evaluations";
import { comparePaired } from "@/server/domain/evaluation/paired-comparison";

// A latest-vs-previous difference whose whole 95% interval lies within ± this is a plateau, not a lack of evidence.
export const PLATEAU_BAND = 0.02;

export type StoppingState = "improving" | "plateau" | "not-enough-evidence";

const pt = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;

/**
 * Test macro-F1 of each trained version on the CURRENT test set (with its interval) against the labels it was trained
 * on, and the stopping signal: the paired bootstrap difference of the latest version and the one before on the same
 * test items, judged by the one verdict rule (paired-comparison.ts). Better beyond noise → still improving; worse
 * beyond noise, or an interval inside ±2 points → plateau; otherwise not enough evidence.
 */
export async function learningCurve(db: DbOrTx, projectId: number) {
  const [versions, current] = await Promise.all([
    db.modelVersion.findMany({
      where: { projectId, status: "ready", kind: "logistic_regression" },
      orderBy: { number: "asc" },
      select: { id: true, number: true, trainLabelCount: true, metrics: true, createdAt: true },
    }),
    currentEvaluations(db, projectId),
  ]);
  const measured = versions.flatMap((v) => {
    const e = current.byVersion.get(v.id);
    if (!e) return [];
    const m = v.metrics as { learningCurvePoint?: { humanLabels?: number } } | null;
    return [
      {
        versionId: v.id,
        number: v.number,
        trainLabels: v.trainLabelCount,
        humanLabels: m?.learningCurvePoint?.humanLabels ?? 0,
        macroF1: e.macroF1,
        macroF1Ci: e.macroF1Ci,
        testItems: e.n,
        createdAt: v.createdAt,
        evaluation: e,
      },
    ];
  });
  const axis: "human" | "all" = measured.some((p) => p.humanLabels > 0) ? "human" : "all";
  const points = measured.map(({ evaluation: _e, ...p }) => ({
    ...p,
    labels: axis === "human" ? p.humanLabels : p.trainLabels,
  }));
  const testSet = current.testSet;
  const below = testSet.n < testSet.target ? ` (test set ${testSet.n} / ${testSet.target})` : "";
  let signal: {
    state: StoppingState;
    plateau: boolean;
    message: string;
    difference: { estimate: number; ci95: [number, number]; from: number; to: number } | null;
  } = {
    state: "not-enough-evidence",
    plateau: false,
    message:
      measured.length < 2
        ? `Not enough evidence: it takes two trained versions measured on the test set to tell whether more labels help${below}.`
        : "",
    difference: null,
  };
  if (measured.length >= 2) {
    const prev = measured[measured.length - 2]!;
    const last = measured[measured.length - 1]!;
    const c = comparePaired(
      current.items,
      current.classIds,
      { versionId: prev.versionId, evaluation: prev.evaluation },
      { versionId: last.versionId, evaluation: last.evaluation },
    );
    const [lo, hi] = c.macroF1Diff.ci95;
    const what = `v${last.number} vs v${prev.number}: ${pt(c.macroF1Diff.estimate)} macro-F1 points (95% interval ${pt(lo)} to ${pt(hi)}) on the same ${c.n} test items${below}.`;
    const state: StoppingState =
      c.verdict === "better"
        ? "improving"
        : c.verdict === "worse" || (lo >= -PLATEAU_BAND && hi <= PLATEAU_BAND)
          ? "plateau"
          : "not-enough-evidence";
    const message =
      state === "improving"
        ? `Still improving: ${what}`
        : c.verdict === "worse"
          ? `Plateau — the latest labels did not help: ${what}`
          : state === "plateau"
            ? `Plateau — more labels of this kind change little: ${what}`
            : `Not enough evidence to tell: ${what} Label more test items to narrow it.`;
    signal = {
      state,
      plateau: state === "plateau",
      message,
      difference: { estimate: c.macroF1Diff.estimate, ci95: c.macroF1Diff.ci95, from: prev.number, to: last.number },
    };
  }
  return { axis, points, signal, testSet: { n: testSet.n, target: testSet.target } };
}
