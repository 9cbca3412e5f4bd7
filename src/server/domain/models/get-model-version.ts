import type { DbOrTx } from "@/server/db";
import { currentEvaluations } from "@/server/domain/evaluation/current-evaluations";
import type { Interval } from "@/server/domain/evaluation/evaluate-on-test-set";
import { AppError } from "@/server/errors";

interface StoredClassMetrics {
  label: string;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
  averagePrecision: number | null;
  /** Wilson 95% intervals (current evaluations; absent from reports stored at training time). */
  precisionCi?: Interval;
  recallCi?: Interval;
}

/**
 * The test report as train-model-version writes it: single-label fields, or multi-label ones (subsetAccuracy).
 * Numbers that were NaN when the version was trained (e.g. no probabilities, a class without positives) are null.
 */
export interface StoredTestReport {
  n: number;
  macroF1: number;
  macroF1Ci?: Interval;
  accuracyCi?: Interval;
  accuracy?: number;
  subsetAccuracy?: number;
  hammingLoss?: number;
  logLoss?: number | null;
  ece?: number | null;
  prAuc?: number | null;
  unsureRate?: number;
  perClass: StoredClassMetrics[];
  macro: { precision: number; recall: number; f1: number };
  micro: { precision: number; recall: number; f1: number };
  /** Single-label only: confusion[true][predicted], in the version's class order. */
  confusion?: number[][];
}

export interface StoredPrCurve {
  class: string;
  averagePrecision: number | null;
  /** The class's decision threshold in the artifact. */
  threshold: number;
  positives: number;
  points: { threshold: number; precision: number; recall: number }[];
}

export interface StoredCalibrationBin {
  from: number;
  to: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
}

/** What a version's `metrics` column holds (see train-model-version); zero-shot versions may have none of it. */
export interface VersionMetrics {
  test?: StoredTestReport | null;
  /** The test report as measured when the version was trained (history; `test` is on the current test set). */
  atTraining?: StoredTestReport | null;
  crossValidated?: { n?: number; macro?: { f1?: number } } | null;
  prCurves?: StoredPrCurve[];
  calibration?: StoredCalibrationBin[];
  training?: {
    rows: number;
    humanLabels: number;
    perClass: { classId: number; name: string; count: number }[];
    temperature?: number;
    /** Hybrid versions: the regularization and n-gram block weight picked by cross-validation (or a holdout). */
    selection?: {
      C: number;
      l2: number;
      blockWeight: number | null;
      /** A served average of several settings (k-fold mode), the first being C and blockWeight above. */
      members?: { C: number; blockWeight: number | null }[];
      mode: "fixed" | "folds" | "holdout";
      folds: number;
      grid: { C: number; blockWeight: number | null; logLoss: number; macroF1: number }[];
    } | null;
    /** Hybrid versions: how probabilities were calibrated, and whether the data was too little to do it honestly. */
    calibrationMethod?: {
      kind: "temperature-oof" | "shrinkage";
      tooLittleData: boolean;
      temperature: number;
      cap: number | null;
    } | null;
    /** Hybrid versions: columns of the dense and the n-gram block. */
    blocks?: { dense: number; sparse: number } | null;
  };
}

/**
 * One version with its metrics and charts data (confusion matrix, PR curves, calibration) on the CURRENT test set —
 * the figures the Models table and Compare show — with what it measured when trained kept as `atTraining`; not its
 * weights or params.
 */
export async function getModelVersion(db: DbOrTx, modelVersionId: number) {
  const version = await db.modelVersion.findUnique({
    where: { id: modelVersionId },
    omit: { artifact: true, params: true },
    include: {
      project: {
        select: {
          id: true,
          name: true,
          activeModelVersionId: true,
          classes: { orderBy: { position: "asc" }, select: { id: true, name: true, color: true } },
        },
      },
      createdBy: { select: { name: true } },
    },
  });
  if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
  const stored = (version.metrics ?? null) as VersionMetrics | null;
  const current =
    version.status === "ready" ? await currentEvaluations(db, version.projectId, { versionIds: [version.id] }) : null;
  const e = current?.byVersion.get(version.id) ?? null;
  const metrics: VersionMetrics | null = stored && {
    ...stored,
    atTraining: stored.test ?? null,
    test: e && {
      n: e.n,
      macroF1: e.macroF1,
      macroF1Ci: e.macroF1Ci,
      accuracy: e.accuracy,
      accuracyCi: e.accuracyCi,
      logLoss: e.logLoss,
      ece: e.ece,
      prAuc: e.prAuc,
      ...(e.unsureRate !== null ? { unsureRate: e.unsureRate } : {}),
      perClass: e.perClass,
      macro: e.macro,
      micro: e.micro,
      ...(e.confusion ? { confusion: e.confusion } : {}),
    },
    prCurves: e ? (e.prCurves as StoredPrCurve[]) : [],
    calibration: e ? (e.calibration as StoredCalibrationBin[]) : [],
  };
  return {
    ...version,
    metrics,
    active: version.project.activeModelVersionId === version.id,
    testSet: current ? { n: current.testSet.n, target: current.testSet.target } : null,
    evaluationError: current?.errors.get(version.id) ?? null,
  };
}
