import { decideClasses } from "@/ml/decide-classes";
import type { Task } from "@/ml/linear-model";
import { bootstrapMacroF1 } from "@/ml/bootstrap-macro-f1";
import type { TestSet } from "@/server/domain/evaluation/test-set";
import { wilsonInterval } from "@/ml/wilson-interval";
import { evaluateClassifier } from "@/ml/evaluate-classifier";

/** What a version predicts for the test items, in its own class order (from predictWithVersion or a fresh fit). */
export interface TestPredictions {
  task: Task;
  classIds: number[];
  classNames: string[];
  /** [n × K] calibrated probabilities, rows in the test set's order. */
  probabilities: Float32Array;
  thresholds: ArrayLike<number>;
}

export type Interval = [number, number];

export interface StoredEvaluation {
  n: number;
  testSetKey: string;
  /** Single-label accuracy or multi-label exact-match (subset) accuracy, with its Wilson 95% interval. */
  accuracy: number;
  accuracyCi: Interval;
  macroF1: number;
  /** Seeded bootstrap 95% interval (bootstrap-macro-f1.ts). */
  macroF1Ci: Interval;
  logLoss: number | null;
  ece: number | null;
  prAuc: number | null;
  unsureRate: number | null;
  perClass: {
    classId: number | null;
    label: string;
    support: number;
    predicted: number;
    precision: number;
    precisionCi: Interval;
    recall: number;
    recallCi: Interval;
    f1: number;
    averagePrecision: number | null;
  }[];
  macro: { precision: number; recall: number; f1: number };
  micro: { precision: number; recall: number; f1: number };
  /** Single-label only: confusion[true][predicted], in `perClass` order. */
  confusion: number[][] | null;
  prCurves: unknown[];
  calibration: unknown[];
  /** Per test item (test-set order): the class ids predicted — what paired comparisons (Compare, promotion, stopping) use. */
  itemIds: number[];
  predicted: number[][];
}

// One seed for every version's macro-F1 interval: the same predictions always give the same interval.
const EVALUATION_SEED = 20_261_207;

const finite = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/**
 * A version's metrics on a test set, with intervals: Wilson for accuracy and each class's precision and recall, the
 * shared seeded bootstrap for macro-F1. Test labels of a class the version does not know go to an "(other)" column
 * it can never predict, so an old version is measured on the same items as a new one (and is wrong on those).
 */
export function evaluateOnTestSet(predictions: TestPredictions, testSet: TestSet): StoredEvaluation | null {
  const n = testSet.items.length;
  if (n === 0) return null;
  const index = new Map(predictions.classIds.map((id, k) => [id, k]));
  const unknown = testSet.items.some((item) => item.classIds.some((id) => !index.has(id)));
  const Kv = predictions.classIds.length;
  const K = Kv + (unknown ? 1 : 0);
  const classes = unknown ? [...predictions.classNames, "(other)"] : predictions.classNames;
  const classIds: (number | null)[] = unknown ? [...predictions.classIds, null] : predictions.classIds;
  let proba = predictions.probabilities;
  const thresholds = new Float32Array(K);
  thresholds.set(Array.from(predictions.thresholds));
  if (unknown) {
    proba = new Float32Array(n * K);
    for (let i = 0; i < n; i++) proba.set(predictions.probabilities.subarray(i * Kv, i * Kv + Kv), i * K);
    // Never decided (multi-label) and never the arg-max (single-label: its probability is 0).
    thresholds[Kv] = 2;
  }
  const truth = new Uint8Array(n * K);
  testSet.items.forEach((item, i) => item.classIds.forEach((id) => (truth[i * K + (index.get(id) ?? Kv)] = 1)));
  const y =
    predictions.task === "single-label"
      ? Int32Array.from(testSet.items, (item) => index.get(item.classIds[0]!) ?? Kv)
      : undefined;
  const evaluation = evaluateClassifier(
    { classes, task: predictions.task, thresholds },
    { proba, n, y, Y: predictions.task === "multi-label" ? truth : undefined },
  )!;
  const report = evaluation.report as {
    accuracy?: number;
    subsetAccuracy?: number;
    logLoss?: number;
    ece?: number;
    prAuc?: number;
    unsureRate?: number;
    perClass: {
      label: string;
      support: number;
      predicted: number;
      tp: number;
      precision: number;
      recall: number;
      f1: number;
      averagePrecision: number;
    }[];
    macro: { precision: number; recall: number; f1: number };
    micro: { precision: number; recall: number; f1: number };
    confusion?: number[][];
  };
  // The one decision rule (evaluateClassifier applies it too), as a 0/1 matrix for the bootstrap.
  const { on } = decideClasses(proba, n, K, predictions.task, thresholds);
  const { perModel } = bootstrapMacroF1(truth, [on], n, K, { seed: EVALUATION_SEED });
  const accuracy = (report.accuracy ?? report.subsetAccuracy)!;
  return {
    n,
    testSetKey: testSet.key,
    accuracy,
    accuracyCi: wilsonInterval(Math.round(accuracy * n), n),
    macroF1: evaluation.macroF1,
    macroF1Ci: perModel[0]!.ci95,
    logLoss: finite(report.logLoss),
    ece: finite(report.ece),
    prAuc: finite(report.prAuc),
    unsureRate: finite(report.unsureRate),
    perClass: report.perClass.map((c, k) => ({
      classId: classIds[k] ?? null,
      label: c.label,
      support: c.support,
      predicted: c.predicted,
      precision: c.precision,
      precisionCi: wilsonInterval(c.tp, c.predicted),
      recall: c.recall,
      recallCi: wilsonInterval(c.tp, c.support),
      f1: c.f1,
      averagePrecision: finite(c.averagePrecision),
    })),
    macro: report.macro,
    micro: report.micro,
    confusion: report.confusion ?? null,
    prCurves: evaluation.prCurves,
    calibration: evaluation.calibration,
    itemIds: testSet.items.map((item) => item.itemId),
    predicted: Array.from({ length: n }, (_, i) => {
      const ids: number[] = [];
      for (let k = 0; k < Kv; k++) if (on[i * K + k]) ids.push(predictions.classIds[k]!);
      return ids;
    }),
  };
}
