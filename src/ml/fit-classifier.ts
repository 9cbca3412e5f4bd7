import type { ClassifierModel } from "@/ml/classifier-model";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { stratifiedFolds, subsetTargets, targetStrata, trainClassifier } from "@/ml/train-classifier";
import { trainHybridClassifier, type FitPhase } from "@/ml/train-hybrid-classifier";
import {
  fittedScale,
  optimizerFacts,
  trainLogisticRegression,
  type ParallelBlocks,
  type Targets,
} from "@/ml/train-logistic-regression";

// Above this many training rows, cross-validation (temperature, thresholds, out-of-fold probabilities for the
// mislabel flags, cross-validated metrics) runs on a seeded stratified sample of about this size; the final model
// is still fit on every row. K folds on 100k rows cost minutes; the temperature and thresholds are a handful of
// numbers that 20k out-of-fold predictions estimate well.
export const CALIBRATION_ROWS = 20_000;
// A version's calibration is inherited by its successor while the training set has grown by less than this share
// since the calibration was computed: an automatic retrain every few dozen labels then fits only the final model
// (warm-started from the active version), and a fresh cross-validation runs once the data has moved enough.
export const RECALIBRATE_GROWTH = 0.2;
// Below this many rows a full cross-validation takes a few seconds at most and always runs (fresh flags, metrics).
const INHERIT_MIN_ROWS = 5_000;

export interface Calibration {
  /** Training rows when the cross-validation ran. */
  trainRows: number;
  /** Rows the cross-validation used (a sample above CALIBRATION_ROWS). */
  rows: number;
  /** The version that ran it, when this version inherited it (null: this version's own). */
  fromVersionId: number | null;
}

export interface FitProgress {
  /** "selection": choosing C and α; "calibration": out-of-fold fits; "final": the fit on all rows. */
  phase: FitPhase;
  fitsDone: number;
  fitsPlanned: number;
}

export interface FitResult {
  model: ClassifierModel;
  /** Out-of-fold calibrated probabilities [rows.length × K] for `rows` (indices into the training set), or null. */
  oof: { proba: Float32Array; rows: Int32Array } | null;
  calibration: Calibration | null;
}

function rowsOf(X: Float32Array, d: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(X.subarray(idx[r]! * d, idx[r]! * d + d), r * d);
  return out;
}

/**
 * The production classifier for a training run. Small sets: trainClassifier as is (k-fold CV on all rows, then the
 * final fit). Large sets: CV on a stratified sample, final fit on all rows warm-started from the active version.
 * Retrains whose data grew by less than RECALIBRATE_GROWTH since the active version's calibration: the final fit
 * only, carrying that calibration (temperature, thresholds, CV metrics) over.
 * X: Float32Array [n × d].
 */
export function fitClassifier(
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  targets: Targets,
  options: {
    featurizerId: string;
    seed: number;
    warmStart?: ClassifierModel;
    warmStartCalibration?: Calibration | null;
    warmStartVersionId?: number | null;
    /** Per-class decision thresholds that reach this precision or recall on the out-of-fold predictions. */
    target?: { precision: number } | { recall: number };
    /**
     * A hybrid model's n-gram block: the training texts (row order of X) and the texts whose document frequencies
     * give the IDF (the project's pool, or a sample of it). Built here, on the training thread, as hashing a large
     * pool takes seconds.
     */
    ngrams?: { trainTexts: string[]; dfTexts: string[] };
    /**
     * Progress of a direct (same-thread) call, for the CLI: model fits done of planned (the plan is an estimate until
     * the last fit, which reports done = total). Not carried across fitClassifierInThread (a function cannot be).
     */
    onProgress?: (progress: FitProgress) => void;
    /**
     * Helper threads for a fit of n rows × d dims × K classes, or undefined for this thread (the same bits either
     * way). How many threads a process may start is the environment's to say, so the caller passes it
     * (server/compute's trainingParallelism); none means one thread.
     */
    parallelism?: (n: number, d: number, K: number) => ParallelBlocks | undefined;
    /** Hybrid only: trainHybridClassifier's denseAloneUpTo (the dense block alone is a candidate up to this many rows). */
    denseAloneUpTo?: number;
  },
): FitResult {
  if (options.ngrams) return fitHybrid(X, n, d, classes, targets, { ...options, ngrams: options.ngrams });
  const K = classes.length;
  if (n <= FEW_LABELS_ROWS && smallestClass(targets, n, K) < FEW_PER_CLASS) {
    // One example in some class: the plain fit's temperature cannot be estimated, and it answered 1.0000 for texts
    // it knows nothing about (Lamini's prompts-only model). The hybrid trainer on the dense block alone takes its
    // temperature from the other classes' out-of-fold predictions (shrinks toward uniform when fewer than two classes
    // have two examples) and says the data was too little (model.metrics.calibration); at this size it costs
    // milliseconds.
    const { model, oofProba, oofRows } = trainHybridClassifier({ n, dense: X, d, sparse: null }, classes, targets, {
      featurizerId: options.featurizerId,
      seed: options.seed,
      warmStart: options.warmStart,
      target: options.target,
      onProgress: progressOf(options.onProgress),
    });
    // The one-example classes' rows have no out-of-fold prediction: oofRows names the rows that do.
    return fitOnAllRows(model, oofProba, n, oofRows);
  }
  const { warmStart, warmStartCalibration: inherited, target } = options;
  const parallelFor = options.parallelism ?? (() => undefined);
  const sameClasses =
    warmStart !== undefined && warmStart.classes.length === K && warmStart.classes.every((c, k) => c === classes[k]);
  const samePolicy = warmStart !== undefined && samePolicyAs(warmStart.thresholdPolicy, target);
  if (
    warmStart &&
    sameClasses &&
    samePolicy &&
    inherited &&
    n > INHERIT_MIN_ROWS &&
    Math.abs(n - inherited.trainRows) < inherited.trainRows * RECALIBRATE_GROWTH
  ) {
    // The previous fit's curvature sizes the first step: a retrain after a few dozen labels is then a few evaluations.
    const final = trainLogisticRegression(X, n, d, classes, targets, {
      warmStart,
      warmStartScale: fittedScale(warmStart),
      parallel: parallelFor(n, d, K),
    });
    return {
      model: {
        ...final.model,
        temperature: warmStart.temperature,
        featurizerId: options.featurizerId,
        thresholds: Float32Array.from(warmStart.thresholds),
        thresholdPolicy: warmStart.thresholdPolicy,
        metrics: {
          ...warmStart.metrics,
          trainedRows: n,
          optimizer: optimizerFacts(final.optimizer),
        },
      },
      oof: null,
      calibration: { ...inherited, fromVersionId: inherited.fromVersionId ?? options.warmStartVersionId ?? null },
    };
  }
  if (n <= CALIBRATION_ROWS) {
    const { model, oofProba } = trainClassifier(X, n, d, classes, targets, {
      featurizerId: options.featurizerId,
      seed: options.seed,
      warmStart,
      target,
      parallel: parallelFor(n, d, K),
      onProgress: progressOf(options.onProgress),
    });
    return fitOnAllRows(model, oofProba, n);
  }
  // One fold of a stratified split into ⌈n / CALIBRATION_ROWS⌉ parts is the calibration sample.
  const parts = Math.ceil(n / CALIBRATION_ROWS);
  const part = stratifiedFolds(targetStrata(targets, n, K), parts, options.seed);
  const sample = Int32Array.from({ length: n }, (_, i) => i).filter((i) => part[i] === 0);
  const calibrated = trainClassifier(
    rowsOf(X, d, sample),
    sample.length,
    d,
    classes,
    subsetTargets(targets, sample, K),
    {
      featurizerId: options.featurizerId,
      seed: options.seed,
      warmStart,
      target,
      folds: 3,
      parallel: parallelFor(sample.length, d, K),
    },
  );
  const final = trainLogisticRegression(X, n, d, classes, targets, {
    warmStart: warmStart ?? calibrated.model,
    warmStartScale: warmStart ? fittedScale(warmStart) : undefined,
    parallel: parallelFor(n, d, K),
  });
  const folds = (calibrated.model.metrics.folds as number | undefined) ?? 0;
  return {
    model: {
      ...final.model,
      temperature: calibrated.model.temperature,
      featurizerId: options.featurizerId,
      thresholds: calibrated.model.thresholds,
      thresholdPolicy: calibrated.model.thresholdPolicy,
      metrics: {
        ...calibrated.model.metrics,
        trainedRows: n,
        calibrationRows: sample.length,
        optimizer: optimizerFacts(final.optimizer),
      },
    },
    oof: calibrated.oofProba ? { proba: calibrated.oofProba, rows: sample } : null,
    calibration: folds >= 2 ? { trainRows: n, rows: sample.length, fromVersionId: null } : null,
  };
}

// With a class of one example no out-of-fold prediction exists, so the plain fit has no temperature at all: such
// trainings (up to this many rows) take the small-data path above. From two per class the plain fit's
// cross-validated temperature applies (it kept the CLI's Lamini example right where the shrunk model did not).
const FEW_PER_CLASS = 2;
const FEW_LABELS_ROWS = 2_000;

/** The smallest number of examples of a class that has any (single-label), or of positives of a label (multi-label). */
function smallestClass(t: Targets, n: number, K: number): number {
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) {
    if (t.task === "single-label") counts[t.y[i]!]!++;
    else for (let k = 0; k < K; k++) if (t.Y[i * K + k]) counts[k]!++;
  }
  const present = counts.filter((c) => c > 0);
  return present.length ? Math.min(...present) : 0;
}

/**
 * A fit whose cross-validation ran on the training rows: their out-of-fold probabilities (all n rows, or the
 * `oofRows` a holdout-mode hybrid fit predicted) and its own calibration.
 */
function fitOnAllRows(
  model: ClassifierModel,
  oofProba: Float32Array | null,
  n: number,
  oofRows?: Int32Array | null,
): FitResult {
  const folds = (model.metrics.folds as number | undefined) ?? 0;
  const rows = oofRows ?? Int32Array.from({ length: n }, (_, i) => i);
  return {
    model,
    oof: oofProba ? { proba: oofProba, rows } : null,
    calibration: oofProba && folds >= 2 ? { trainRows: n, rows: rows.length, fromVersionId: null } : null,
  };
}

function progressOf(
  report: ((p: FitProgress) => void) | undefined,
): ((done: number, total: number, phase: FitPhase) => void) | undefined {
  return report ? (fitsDone, fitsPlanned, phase) => report({ phase, fitsDone, fitsPlanned }) : undefined;
}

/** Whether a model's thresholds were chosen for this target (an inherited calibration must have been). */
function samePolicyAs(
  policy: ClassifierModel["thresholdPolicy"],
  target: { precision: number } | { recall: number } | undefined,
): boolean {
  if (!target) return policy.kind === "default";
  return "precision" in target
    ? policy.kind === "target-precision" && policy.target === target.precision
    : policy.kind === "target-recall" && policy.target === target.recall;
}

/**
 * The hybrid model: the n-gram vocabulary (IDF from the pool, columns the training texts use), then
 * trainHybridClassifier, which picks λ and the blocks' weight by cross-validation (a holdout on large sets) and
 * calibrates on out-of-fold predictions. A new vocabulary every training (the pool and the labels move), so only
 * the dense block and biases can start warm from the active version.
 */
function fitHybrid(
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  targets: Targets,
  options: Parameters<typeof fitClassifier>[5] & { ngrams: { trainTexts: string[]; dfTexts: string[] } },
): FitResult {
  const { trainTexts, dfTexts } = options.ngrams;
  if (trainTexts.length !== n) throw new Error(`fitClassifier: ${trainTexts.length} training texts for ${n} rows`);
  const vocabulary = fitNgramVocabulary({ dfTexts, featureTexts: trainTexts });
  const sparse = ngramMatrix(vocabulary, trainTexts);
  // A retrain on about the same data keeps the active version's choice of C and α: the search is most of a hybrid
  // training's fits, and the choice moves only as the data does. The out-of-fold calibration is still redone.
  // "The same data" is measured from the training that last searched, not from the previous version: retrains every
  // 20 labels each grow by less than a fifth, and measured step by step a choice made at 120 labels was inherited
  // at every retrain to 400 (SST-2 in the AL bench: the dense block alone, so the n-grams never came back).
  // Only a single setting is kept: a version that served the average of the settings within one standard error
  // (k-fold mode) would be succeeded by its first member alone — the most regularized, often the dense block alone —
  // a different and weaker model (SST-2, 500 labels of the AL bench: 0.748 for C 1.25 dense alone against 0.766 for
  // the average it came from); such a retrain searches again (k-fold sizes: ≤ 3,000 rows, seconds).
  const previous = options.warmStart?.metrics as
    | {
        selection?: { C?: number; blockWeight?: number | null; members?: unknown[] };
        trainedRows?: number;
        selectionInheritedFrom?: { trainedRows?: number };
      }
    | undefined;
  const searchedAt = previous?.selectionInheritedFrom?.trainedRows ?? previous?.trainedRows;
  const keep: { grid?: { C: number[] }; blockWeight?: number } =
    previous?.selection?.C !== undefined &&
    previous.selection.members === undefined &&
    searchedAt !== undefined &&
    Math.abs(n - searchedAt) < searchedAt * RECALIBRATE_GROWTH
      ? {
          grid: { C: [previous.selection.C] },
          ...(previous.selection.blockWeight != null ? { blockWeight: previous.selection.blockWeight } : {}),
        }
      : {};
  const { model, oofProba, oofRows } = trainHybridClassifier(
    { n, dense: d > 0 ? X : null, d, sparse },
    classes,
    targets,
    {
      featurizerId: options.featurizerId,
      vocabulary,
      seed: options.seed,
      warmStart: options.warmStart,
      target: options.target,
      ...keep,
      denseAloneUpTo: options.denseAloneUpTo,
      onProgress: progressOf(options.onProgress),
    },
  );
  if (keep.grid) model.metrics.selectionInheritedFrom = { trainedRows: searchedAt };
  return fitOnAllRows(model, oofProba, n, oofRows);
}
