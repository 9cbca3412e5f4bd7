import { computeLogitsRows, type ClassifierModel } from "@/ml/classifier-model";
import { checkFeatureRows, featureRowsSubset, type FeatureRows } from "@/ml/feature-rows";
import { roundToFloat16InPlace } from "@/ml/float16-bits";
import { buildHybridObjective, type HybridFit, type HybridWarmStart } from "@/ml/hybrid-logistic-objective";
import { minimizeLbfgs, type LbfgsResult } from "@/ml/lbfgs";
import { argmaxRow, logitsToProbaInPlace, type Task } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import type { NgramVocabulary } from "@/ml/ngram-vocabulary";
import { outOfFoldPolicy } from "@/ml/out-of-fold-policy";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { fitTemperature, scaledNll } from "@/ml/temperature-scaling";
import { stratifiedFolds, subsetTargets, targetStrata } from "@/ml/train-classifier";
import type { Targets } from "@/ml/train-logistic-regression";

export interface TrainHybridOptions {
  featurizerId: string;
  /** The vocabulary rows.sparse was built with (stored in the model); required when rows.sparse is given. */
  vocabulary?: NgramVocabulary;
  classWeight?: "none" | "balanced";
  /** Per-sample weights [n], multiplied with class weights. */
  sampleWeight?: Float32Array;
  /** Fixes λ (no search over it). */
  l2?: number;
  /** Fixes α, the sparse block's weight (no search over it). */
  blockWeight?: number;
  /** The search grid: C values (λ = 1/(C·n)) and α values. Defaults: SELECTION_C, SELECTION_BLOCK_WEIGHTS. */
  grid?: { C?: number[]; blockWeight?: number[] };
  /**
   * k-fold mode: serve the average of the (up to MAX_MEMBERS) most regularized settings within one standard error of
   * the best instead of the most regularized one alone. Default true; false is the single one-standard-error pick.
   */
  averageWithinOneSe?: boolean;
  /**
   * The default α grid offers the dense block alone (α = 0) up to this many rows, not above. Default DENSE_ALONE_UP_TO;
   * an explicit grid.blockWeight or blockWeight is used as given.
   */
  denseAloneUpTo?: number;
  /** The one-standard-error rule's variant (defaults: DEFAULT_SELECTION_RULE). */
  selectionRule?: Partial<SelectionRule>;
  /**
   * Diagnostics (bench/ml/selection-rules.ts): called once the grid is scored with every tried setting's tempered
   * per-row losses, per-row errors, raw out-of-fold logits and temperature, and a function that fits a setting on all
   * rows and returns its raw logits on other rows — so selection rules can be compared on one training's fits.
   */
  onSelection?: (d: {
    settings: (Setting & { losses: Float64Array; errors: Float64Array; oof: Float32Array; temperature: number })[];
    /** The scored rows' targets (oof: their raw logits, row-major [rows × K]). */
    scoredY: Int32Array | Uint8Array;
    mode: "folds" | "holdout";
    logitsAt: (s: Setting, rows: FeatureRows) => Float32Array;
  }) => void;
  /** Cross-validation folds (k-fold selection and out-of-fold predictions). Default 5; 3 above HOLDOUT_ABOVE rows. */
  folds?: number;
  /**
   * Rows of a class (multi-label: first positive label) with fewer examples than this are in the training part of
   * every fold and never scored. Default ALWAYS_TRAIN_BELOW.
   */
  alwaysTrainBelow?: number;
  /** Above this many rows the grid is scored on one stratified holdout fold, not all folds. Default HOLDOUT_ABOVE. */
  holdoutAbove?: number;
  seed?: number;
  /** Choose per-class thresholds to reach this precision or recall on out-of-fold predictions. */
  target?: { precision: number } | { recall: number };
  /** Previous model to start from (classes matched by name; sparse weights only with the same vocabulary). */
  warmStart?: ClassifierModel;
  /**
   * L-BFGS limits of the final fit. Defaults 100 and 1e-5 (selection fits ≤ selectionMaxIter, fold fits ≤ 60 iterations, both with a 3× looser gtol).
   * 100: along one fit on the six shared sets at their chosen settings, test macro-F1 stopped moving by 50 iterations
   * on five and by 100 on Banking77 (92.01 at 100, 92.02 at 200; bench/ml/fit-budget.ts).
   */
  maxIter?: number;
  gtol?: number;
  /**
   * Iteration cap of the fits that score the grid. Default 30: on the five sets whose selection runs in holdout mode,
   * 30 instead of 60 changed test macro-F1 by 0.0, 0.0, −0.3, −0.05 and +0.3 (TREC, SST-2, emotion, AG News,
   * Banking77; bench/ml/selection-budget.ts) and took 20–45% less time.
   */
  selectionMaxIter?: number;
  /**
   * L-BFGS history of the selection and calibration fits (the capped ones). Default 5: against 10, on the six shared
   * sets (bench/ml/selection-budget.ts --memory 10,5, one run at load 9–14) test macro-F1 +0.0 AG News, +0.75 TREC,
   * +0.06 SST-2, +0.41 Banking77, +0.0 SMS spam, +0.07 emotion, and 5–57% less time on five (SMS spam, k-fold, took
   * 53% more: its walk tried another α). Each iteration makes ~40% fewer passes over θ-sized vectors; the capped fits
   * it changes only score settings and calibrate, the final fit keeps a history of 10.
   */
  selectionMemory?: number;
  /** L-BFGS history of the final fit. Default 10. */
  finalMemory?: number;
  /** Relative loss decrease per iteration below which the final fit stops. Default 1e-7. */
  ftol?: number;
  /** Rounds the sparse weights to half floats (exactly what the artifact stores). Default true. */
  float16?: boolean;
  /**
   * Diagnostics (bench/ml/final-fit-budget.ts): called after every iteration of the final fit with a function that
   * computes raw logits (temperature 1) of the iterate on other rows — how much the served model still moves.
   */
  onFinalIteration?: (iteration: number, f: number, logits: (rows: FeatureRows) => Float32Array) => void;
  /** Called after every fit with (fits done, fits planned: an estimate until the last fit, which reports done = planned). */
  onProgress?: (done: number, total: number, phase: FitPhase) => void;
}

/** What a fit was for: choosing C and α, out-of-fold predictions for calibration, or the final model. */
export type FitPhase = "selection" | "calibration" | "final";

export interface TrainHybridResult {
  model: ClassifierModel;
  /** Out-of-fold calibrated probabilities [oofRows.length × K] at the chosen setting (null when no CV was possible). */
  oofProba: Float32Array | null;
  /** The rows oofProba is for: every row (k-fold), or one stratified fold's rows above HOLDOUT_ABOVE. */
  oofRows: Int32Array | null;
}

/**
 * C values of the grid (λ = 1/(C·n), C as scikit-learn's summed-loss C), walked outward from DEFAULT_C. The n-gram
 * rows have norm 1 and the dense block is scaled to norm ≈ 1, so C = 20 here is scikit-learn's C = 10 on hstacked
 * TF-IDF (norm √2), the usual strong setting for text; factors of 4 either side.
 */
export const SELECTION_C = [1.25, 5, 20, 80, 320];
const DEFAULT_C = 20;
/**
 * α: the n-gram block's weight against the dense block (searched only when both are present), walked from 1. α = 0
 * drops the n-grams: with a few dozen labels they let the model memorize texts instead of using the dense vectors
 * (SST-2 at 50 labels: 57 macro-F1 for the hybrid without this candidate, 65 dense-only). A large α approaches the
 * n-grams alone (TREC prefers them).
 */
export const SELECTION_BLOCK_WEIGHTS = [0, 0.25, 0.5, 1, 2, 4, 8, 16];
/**
 * Above this many rows the hybrid's search no longer offers the dense block alone (α = 0); the n-gram block always
 * takes part, with α from 0.25 up. With a few dozen labels the dense block alone can be the better model (SMS spam and
 * emotion at 50–100 random labels, ml.md section 2), but from 200 random labels on the hybrid beat it on all six shared
 * sets. On labels an active-learning queue picked, cross-validation kept choosing it anyway: the items were picked
 * because the dense model was unsure of them, and on such items it scores best (SST-2, margin+diversity, 500 labels:
 * out-of-fold log-loss 0.576 dense alone against 0.611–0.617 for every hybrid, yet 0.718 against 0.753 test macro-F1)
 * — a loop in which the n-grams never came back. Off above 200 rows: the AL bench's SST-2 margin+diversity chains
 * +0.0049 ± 0.0017 AULC and +0.016 ± 0.007 final macro-F1 (5 seeds, 5/5), random chains unchanged (−0.0001 ± 0.0009).
 */
export const DENSE_ALONE_UP_TO = 200;
/**
 * Above this many rows one stratified holdout fold scores the grid: k-fold over the grid would cost |grid| × k
 * fits, and with thousands of held-out rows the ranking of settings is already stable.
 */
export const HOLDOUT_ABOVE = 3000;
/**
 * A class with fewer labels than this (one) gets no out-of-fold prediction: its rows train every fold and are never
 * scored, instead of capping the folds at its count (see bench/results/selection-curves.md).
 */
export const ALWAYS_TRAIN_BELOW = 2;
/** Holdout mode: at most this many training rows per grid fit, and scored rows (a stratified sample of each). */
const SELECTION_TRAIN_ROWS = 4000;
const SELECTION_SCORE_ROWS = 2000;
/**
 * Variance shrinkage of dense features toward the pooled variance, in rows: with a handful of rows a per-feature
 * std is noise, and a tiny one would turn an unseen vector into huge standardized values (confident nonsense).
 */
const STANDARDIZE_PRIOR_ROWS = 10;
/** With fewer out-of-fold rows than this per class the temperature is a guess: flagged as tooLittleData. */
const CALIBRATION_MIN_PER_CLASS = 5;
/**
 * At most this many settings are averaged (each needs its own final fit): the most regularized ones within one
 * standard error of the best.
 */
const MAX_MEMBERS = 5;

export interface Setting {
  C: number;
  blockWeight: number;
}

export interface SelectionRule {
  /**
   * Which settings count as within one standard error of the best (lowest mean loss): "unpaired", mean loss ≤ the
   * best's mean + the standard error of the best's row losses; "paired", the mean of the per-row difference to the
   * best ≤ the standard error of that difference.
   */
  se: "paired" | "unpaired";
  /**
   * The eligible settings' order (the first is the pick, the first members are averaged): "simpler", smallest C, then
   * the dense block alone, then α nearest 1; "spread", the simplest eligible setting of each C (C ascending), then the
   * next simplest of each, and so on.
   */
  order: "simpler" | "spread" | "effective";
  /** k-fold mode: at most this many settings are averaged (each needs a final fit on all rows). */
  maxMembers: number;
}

export const DEFAULT_SELECTION_RULE: SelectionRule = {
  se: "unpaired",
  order: "simpler",
  maxMembers: MAX_MEMBERS,
};

/** Among settings, the one with the smallest C, then the dense block alone, then α nearest 1. */
function simpler(a: Setting, b: Setting): number {
  return a.C !== b.C ? a.C - b.C : tieBreak(a, b);
}

function tieBreak(a: Setting, b: Setting): number {
  return (
    (a.blockWeight === 0 ? 0 : 1) - (b.blockWeight === 0 ? 0 : 1) ||
    Math.abs(Math.log(a.blockWeight || 1)) - Math.abs(Math.log(b.blockWeight || 1))
  );
}

/**
 * The weakest regularization of a setting's blocks as a C: scaling the n-gram rows by α is the same model as an
 * L2 penalty λ/α² on their weights, so the n-gram block's C is C·α² (the dense block's stays C).
 */
function effectiveC(s: Setting): number {
  return s.C * Math.max(1, s.blockWeight * s.blockWeight);
}

/**
 * One-standard-error rule (as glmnet's lambda.1se) over settings scored on the same rows (losses[r]: row r's tempered
 * loss): the settings within one standard error of the best, in `rule.order`. With a few dozen labels all losses sit
 * near chance and the raw minimum is noise that lands on extreme settings (SST-2 at 50 labels: C 320, α 4 won by
 * 0.003 and scored 41 test macro-F1, against 61 for C 20 dense-only).
 */
export function oneSeMembers(
  scored: (Setting & { losses: Float64Array })[],
  rule: Pick<SelectionRule, "se" | "order">,
): Setting[] {
  const m = scored[0]?.losses.length ?? 0;
  const mean = (f: (r: number) => number): number => {
    let s = 0;
    for (let r = 0; r < m; r++) s += f(r);
    return m > 0 ? s / m : 0;
  };
  const se = (f: (r: number) => number, mu: number): number => {
    if (m < 2) return 0;
    let ss = 0;
    for (let r = 0; r < m; r++) ss += (f(r) - mu) ** 2;
    return Math.sqrt(ss / (m - 1) / m);
  };
  const means = scored.map((s) => mean((r) => s.losses[r]!));
  let best = 0;
  means.forEach((v, i) => {
    if (v < means[best]!) best = i;
  });
  const b = scored[best]!.losses;
  const eligible = scored.filter((s, i) => {
    if (i === best) return true;
    if (rule.se === "unpaired") return means[i]! <= means[best]! + se((r) => b[r]!, means[best]!);
    const d = (r: number): number => s.losses[r]! - b[r]!;
    const md = means[i]! - means[best]!;
    return md <= se(d, md);
  });
  const sorted = eligible.map(({ C, blockWeight }) => ({ C, blockWeight })).sort(simpler);
  if (rule.order === "simpler") return sorted;
  if (rule.order === "effective") return sorted.sort((a, b2) => effectiveC(a) - effectiveC(b2) || simpler(a, b2));
  // Round-robin over C: rank within its C, then C.
  const rank = new Map<Setting, number>();
  const seen = new Map<number, number>();
  for (const s of sorted) {
    rank.set(s, seen.get(s.C) ?? 0);
    seen.set(s.C, (seen.get(s.C) ?? 0) + 1);
  }
  return sorted.sort((a, b2) => rank.get(a)! - rank.get(b2)! || a.C - b2.C);
}

/** A stratified, seeded sample of `idx` of at most `max` rows (every stratum keeps its share, at least one row). */
function stratifiedSample(idx: Int32Array, strata: Int32Array, max: number, seed: number): Int32Array {
  if (idx.length <= max) return idx;
  const byStratum = new Map<number, number[]>();
  for (const i of idx) {
    const l = byStratum.get(strata[i]!) ?? [];
    l.push(i);
    byStratum.set(strata[i]!, l);
  }
  const rng = createRng(seed + 1);
  const out: number[] = [];
  for (const k of [...byStratum.keys()].sort((a, b) => a - b)) {
    const list = byStratum.get(k)!;
    shuffleInPlace(list, rng);
    out.push(...list.slice(0, Math.max(1, Math.round((list.length * max) / idx.length))));
  }
  return Int32Array.from(out).sort();
}

export interface SelectionRecord {
  l2: number;
  C: number;
  blockWeight: number | null;
  scoring: "tempered-log-loss-1se" | "tempered-log-loss-1se-average";
  /** Averaged model ("-average"): the settings whose tempered logits the served model averages (C, α: the first's). */
  members?: { C: number; blockWeight: number | null }[];
  mode: "fixed" | "folds" | "holdout";
  folds: number;
  /** Holdout mode: rows the grid's fits trained on and rows that scored them. */
  holdout?: { trainRows: number; scoredRows: number };
  /** Every setting tried: tempered out-of-fold log-loss ± its standard error over rows, its temperature, macro-F1. */
  grid: {
    C: number;
    blockWeight: number | null;
    l2: number;
    logLoss: number;
    logLossSE: number;
    temperature: number;
    macroF1: number;
  }[];
}

export interface CalibrationRecord {
  kind: "temperature-oof" | "shrinkage";
  tooLittleData: boolean;
  temperature: number;
  /** The most a top probability may claim from the data (Laplace's rule); null when it did not bind. */
  cap: number | null;
}

function targetArray(t: Targets): Int32Array | Uint8Array {
  return t.task === "single-label" ? t.y : t.Y;
}

/** Mean top-class probability (single-label) or mean max(p, 1 − p) (multi-label) of logits at temperature T. */
function meanConfidence(logits: Float32Array, n: number, K: number, task: Task, T: number): number {
  const P = logitsToProbaInPlace(Float32Array.from(logits), n, K, task, T);
  let s = 0;
  if (task === "single-label") for (let i = 0; i < n; i++) s += P[i * K + argmaxRow(P, i, K)]!;
  else for (let i = 0; i < n * K; i++) s += Math.max(P[i]!, 1 - P[i]!);
  return s / (task === "single-label" ? n : n * K);
}

/** Largest top-class confidence over rows (single-label) or over outputs (multi-label) at temperature T. */
function maxConfidence(logits: Float32Array, n: number, K: number, task: Task, T: number): number {
  const P = logitsToProbaInPlace(Float32Array.from(logits), n, K, task, T);
  let m = 0;
  for (let i = 0; i < n * K; i++) m = Math.max(m, task === "single-label" ? P[i]! : Math.max(P[i]!, 1 - P[i]!));
  return m;
}

/** The smallest T ≥ T0 with conf(T) ≤ cap (conf decreasing in T), by bisection on log T. */
function raiseTemperature(conf: (T: number) => number, T0: number, cap: number): number {
  if (conf(T0) <= cap) return T0;
  let lo = Math.log(T0);
  let hi = Math.log(1e6);
  if (conf(Math.exp(hi)) > cap) return Math.exp(hi);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (conf(Math.exp(mid)) > cap) lo = mid;
    else hi = mid;
  }
  return Math.exp(hi);
}

/** Per-row NLL of logits scaled by β (softmax, or the sum over outputs of sigmoid NLLs). */
function rowLosses(z: Float32Array, m: number, K: number, targets: Targets, beta: number): Float64Array {
  const out = new Float64Array(m);
  const target = targetArray(targets);
  for (let r = 0; r < m; r++)
    out[r] = scaledNll(
      z.subarray(r * K, r * K + K),
      1,
      K,
      targets.task,
      targets.task === "single-label" ? target.subarray(r, r + 1) : target.subarray(r * K, r * K + K),
      beta,
    );
  return out;
}

/** Per-row error: 1 when the argmax is wrong (single-label); the share of wrong outputs (multi-label). */
function rowErrors(z: Float32Array, m: number, K: number, targets: Targets): Float64Array {
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    if (targets.task === "single-label") out[r] = argmaxRow(z, r, K) === targets.y[r] ? 0 : 1;
    else {
      let e = 0;
      for (let k = 0; k < K; k++) e += (z[r * K + k]! >= 0 ? 1 : 0) === targets.Y[r * K + k] ? 0 : 1;
      out[r] = e / K;
    }
  }
  return out;
}

function macroF1Of(logits: Float32Array, n: number, K: number, targets: Targets, classes: string[]): number {
  if (targets.task === "single-label") {
    const pred = new Int32Array(n);
    for (let i = 0; i < n; i++) pred[i] = argmaxRow(logits, i, K);
    return evaluateSingleLabel(targets.y, pred, classes).macro.f1;
  }
  const Yhat = Uint8Array.from(logits, (z) => (z >= 0 ? 1 : 0));
  return evaluateMultiLabel(targets.Y, Yhat, n, classes).macro.f1;
}

/**
 * Trains a calibrated hybrid classifier on [dense, sparse] FeatureRows (either block may be absent):
 * 1. λ (and α when both blocks are present) are chosen by the out-of-fold log-loss after temperature scaling — a
 *    proper, smooth score of the probabilities the model will serve, far less noisy with few labels than macro-F1,
 *    and blind to a setting's over/under-confidence that the temperature fixes anyway — with the one-standard-error
 *    rule. Coordinate walks over the grid, each fit warm-started (see below); k-fold up to HOLDOUT_ABOVE rows, one
 *    stratified holdout fold (on a capped sample) above.
 * 2. The chosen setting's out-of-fold logits give the temperature, thresholds, cross-validated metrics and oofProba.
 * 3. The final model is fit on all rows.
 * A class with a single example trains every fold and gets no out-of-fold prediction. With fewer than two classes of
 * two or more examples none exists at all: the temperature is then set so no training row claims more than Laplace's
 * (m + 1)/(m + 2), m the smallest class count ("shrinkage").
 */
export function trainHybridClassifier(
  rows: FeatureRows,
  classes: string[],
  targets: Targets,
  options: TrainHybridOptions,
): TrainHybridResult {
  checkFeatureRows(rows, "trainHybridClassifier");
  if (rows.sparse && !options.vocabulary)
    throw new Error("trainHybridClassifier: rows.sparse needs options.vocabulary");
  if (rows.sparse && options.vocabulary && options.vocabulary.size !== rows.sparse.cols) {
    throw new Error(
      `trainHybridClassifier: vocabulary has ${options.vocabulary.size} columns, rows.sparse ${rows.sparse.cols}`,
    );
  }
  const n = rows.n;
  const K = classes.length;
  const task = targets.task;
  const hasDense = rows.dense !== null && rows.d > 0;
  const hasSparse = rows.sparse !== null;
  const float16 = options.float16 ?? true;

  // Strata: the label (single-label) or first positive label (multi-label); counts of the present ones.
  const strata = targetStrata(targets, n, K);
  const strataCounts = new Map<number, number>();
  for (let i = 0; i < n; i++) strataCounts.set(strata[i]!, (strataCounts.get(strata[i]!) ?? 0) + 1);
  const minPerClass = strataCounts.size < 2 ? 0 : Math.min(...strataCounts.values());
  // Rows of classes rarer than alwaysTrainBelow sit in every fold's training part and are never scored, so one rare
  // class no longer caps the folds for all the others (at one label it switched cross-validation off) — as long as
  // two classes remain to score.
  const alwaysTrainBelow = options.alwaysTrainBelow ?? ALWAYS_TRAIN_BELOW;
  const scoredCounts = [...strataCounts.values()].filter((c) => c >= alwaysTrainBelow);
  const setAside = scoredCounts.length >= 2 && scoredCounts.length < strataCounts.size;
  const minScored = setAside ? Math.min(...scoredCounts) : minPerClass;
  const holdoutAbove = options.holdoutAbove ?? HOLDOUT_ABOVE;
  const folds = Math.min(options.folds ?? (n > holdoutAbove ? 3 : 5), minScored, n);
  const canCv = folds >= 2;
  const mode: SelectionRecord["mode"] = !canCv ? "fixed" : n > holdoutAbove ? "holdout" : "folds";

  const Cs = options.l2 !== undefined ? [NaN] : [...(options.grid?.C ?? SELECTION_C)].sort((a, b) => a - b);
  const alphas = !(hasDense && hasSparse)
    ? [options.blockWeight ?? 1]
    : options.blockWeight !== undefined
      ? [options.blockWeight]
      : [
          ...(options.grid?.blockWeight ??
            SELECTION_BLOCK_WEIGHTS.filter((a) => a > 0 || n <= (options.denseAloneUpTo ?? DENSE_ALONE_UP_TO))),
        ].sort((a, b) => a - b);
  const cStart = Cs.includes(DEFAULT_C) ? DEFAULT_C : Cs[Math.floor((Cs.length - 1) / 2)]!;
  const aStart = alphas.includes(1) ? 1 : alphas[alphas.length - 1]!;
  const lambdaOf = (C: number, rowsN: number): number => (options.l2 !== undefined ? options.l2 : 1 / (C * rowsN));
  const searched = canCv && Cs.length * alphas.length > 1;
  if (alphas.length === 1 && alphas[0] === 0 && !hasDense)
    throw new Error("trainHybridClassifier: blockWeight 0 needs a dense block");

  const gtol = options.gtol ?? 1e-5;
  const maxIter = options.maxIter ?? 100;
  const selectionMaxIter = options.selectionMaxIter ?? 30;
  const prevWarm = options.warmStart ? warmStartOf(options.warmStart, options.vocabulary) : undefined;
  const fold = canCv ? stratifiedFolds(strata, folds, options.seed ?? 0) : null;
  if (fold && setAside) for (let i = 0; i < n; i++) if (strataCounts.get(strata[i]!)! < alwaysTrainBelow) fold[i] = -1;
  const scoredFolds = mode === "holdout" ? 1 : folds;
  const searchFits = searched ? (Math.min(alphas.length, 4) + 2 * Math.min(Cs.length, 3) - 1) * scoredFolds : 0; // typical walk lengths
  // Above HOLDOUT_ABOVE rows one fold's out-of-fold predictions (a third of the rows, thousands) calibrate: the
  // other folds' fits would cost two more near-full trainings for a temperature that a few thousand rows already pin.
  const oofFolds = !canCv ? 0 : mode === "holdout" ? 1 : folds;
  let totalFits = searchFits + oofFolds + 1;
  let fitsDone = 0;
  const progress = (phase: FitPhase): void => {
    fitsDone++;
    options.onProgress?.(fitsDone, Math.max(totalFits, fitsDone + 1), phase);
  };

  const sw = options.sampleWeight;
  if (sw && sw.length < n) throw new Error(`trainHybridClassifier: sampleWeight has ${sw.length} values for ${n} rows`);
  /** Fits rows `idx` (null: all rows) of r at setting s. */
  const fit = (
    r: FeatureRows,
    t: Targets,
    idx: Int32Array | null,
    s: Setting,
    warm: HybridWarmStart | undefined,
    loose: Exclude<FitPhase, "final"> | false,
  ): { fit: HybridFit; opt: Omit<LbfgsResult, "x"> } => {
    // α = 0 is the dense block alone (a candidate, so the n-grams are dropped when they only add noise).
    if (s.blockWeight === 0 && hasDense) r = { ...r, sparse: null };
    const obj = buildHybridObjective(r, classes, t, {
      l2: lambdaOf(s.C, r.n),
      blockWeight: s.blockWeight,
      classWeight: options.classWeight,
      sampleWeight: sw && idx ? Float32Array.from(idx, (i) => sw[i]!) : sw,
      standardizePriorRows: STANDARDIZE_PRIOR_ROWS,
      warmStart: warm,
    });
    // Selection fits stop at selectionMaxIter (30) and fold fits at 60 iterations, or once the loss moves by < 1e-6
    // (relative) per iteration: on TREC's n-grams the preconditioned loss was within 1% of the optimum after 30
    // iterations and test macro-F1 flat from there on. The final fit goes further (its weights are the ones served).
    const res = minimizeLbfgs(
      obj.fg,
      obj.theta0,
      loose
        ? {
            maxIter: Math.min(maxIter, loose === "selection" ? selectionMaxIter : 60),
            gtol: gtol * 3,
            ftol: 1e-6,
            memory: options.selectionMemory ?? 5,
            ...obj.lbfgsPreconditioner,
          }
        : {
            maxIter,
            gtol,
            ftol: options.ftol ?? 1e-7,
            memory: options.finalMemory ?? 10,
            ...obj.lbfgsPreconditioner,
            ...(options.onFinalIteration
              ? {
                  onIteration: (it: number, x: Float64Array, f: number) =>
                    options.onFinalIteration!(it, f, (rr) => logitsOf(obj.finalize(x), rr)),
                }
              : {}),
          },
    );
    obj.dispose();
    const { x, ...opt } = res;
    return { fit: obj.finalize(x), opt };
  };
  const asWarm = (f: HybridFit): HybridWarmStart => ({
    model: f.dense,
    sparseWeights: f.sparseWeights,
    blockWeight: f.blockWeight,
    sameSparseColumns: true,
  });
  const logitsOf = (f: HybridFit, r: FeatureRows): Float32Array =>
    computeLogitsRows(
      { ...f.dense, sparse: f.sparseWeights ? { weights: f.sparseWeights, blockWeight: f.blockWeight } : undefined },
      r,
    );

  const splits: { trainIdx: Int32Array; testIdx: Int32Array }[] = [];
  if (fold) {
    for (let f = 0; f < folds; f++) {
      const tr: number[] = [];
      const te: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? te : tr).push(i);
      splits.push({ trainIdx: Int32Array.from(tr), testIdx: Int32Array.from(te) });
    }
  }
  // Holdout mode scores the grid on a capped sample (λ = 1/(C·rows) keeps C's meaning at the smaller size).
  const scored = splits.slice(0, searched ? scoredFolds : 0).map(({ trainIdx, testIdx }) => {
    const capped = mode === "holdout";
    const tr = capped ? stratifiedSample(trainIdx, strata, SELECTION_TRAIN_ROWS, options.seed ?? 0) : trainIdx;
    const te = capped ? stratifiedSample(testIdx, strata, SELECTION_SCORE_ROWS, options.seed ?? 0) : testIdx;
    return {
      trainIdx: tr,
      testIdx: te,
      rows: featureRowsSubset(rows, tr),
      targets: subsetTargets(targets, tr, K),
      test: featureRowsSubset(rows, te),
    };
  });
  const scoredIdx = Int32Array.from(scored.flatMap((f) => Array.from(f.testIdx))).sort();
  const position = new Int32Array(n).fill(-1);
  scoredIdx.forEach((i, r) => {
    position[i] = r;
  });
  const m = scoredIdx.length;
  const scoredTargets = subsetTargets(targets, scoredIdx, K);
  const key = (s: Setting): string => `${s.C}|${s.blockWeight}`;
  const oofBySetting = new Map<string, Float32Array>();
  const temperatureBySetting = new Map<string, number>();
  const lossesBySetting = new Map<string, Float64Array>();
  const errorsBySetting = new Map<string, Float64Array>();
  const fitsBySetting = new Map<string, HybridFit[]>();
  const grid: SelectionRecord["grid"] = [];
  const tried: Setting[] = [];

  /** Fits `setting` on every scored fold (each from its own `from` fit), fills its out-of-fold logits and scores it. */
  const tryOn = (setting: Setting, from: (HybridFit | undefined)[]): (HybridFit | undefined)[] => {
    const z = new Float32Array(m * K);
    const fits = scored.map((f, fi) => {
      const w = from[fi];
      const { fit: mdl } = fit(f.rows, f.targets, f.trainIdx, setting, w ? asWarm(w) : prevWarm, "selection");
      const zt = logitsOf(mdl, f.test);
      for (let r = 0; r < f.testIdx.length; r++) z.set(zt.subarray(r * K, r * K + K), position[f.testIdx[r]!]! * K);
      progress("selection");
      return mdl;
    });
    oofBySetting.set(key(setting), z);
    // Holdout mode keeps the fits: the chosen one predicts the whole holdout fold or starts its calibration fit;
    // k-fold mode scored every row and reuses the logits.
    if (mode === "holdout") fitsBySetting.set(key(setting), fits);
    tried.push(setting);
    const T = fitTemperature(z, m, K, task, targetArray(scoredTargets));
    temperatureBySetting.set(key(setting), T);
    const losses = rowLosses(z, m, K, scoredTargets, 1 / T);
    lossesBySetting.set(key(setting), losses);
    errorsBySetting.set(key(setting), rowErrors(z, m, K, scoredTargets));
    let mean = 0;
    for (let r = 0; r < m; r++) mean += losses[r]! / m;
    let ss = 0;
    for (let r = 0; r < m; r++) ss += (losses[r]! - mean) ** 2;
    grid.push({
      C: setting.C,
      blockWeight: hasDense && hasSparse ? setting.blockWeight : null,
      l2: lambdaOf(setting.C, n),
      logLoss: mean,
      logLossSE: m > 1 ? Math.sqrt(ss / (m - 1) / m) : 0,
      temperature: T,
      macroF1: macroF1Of(z, m, K, scoredTargets, classes),
    });
    return fits;
  };

  // Coordinate search, each axis walked from its default outward while the score improves (on a unimodal curve
  // that finds the best grid point in 2–4 fits instead of all of them). Two families compete: the dense block alone
  // (α = 0; C walked), and the hybrid (α walked at the default C, then C at the best α). The best setting tried
  // wins. Every step warm-starts each fold from that fold's fit at the neighbouring point.
  let setting: Setting = { C: cStart, blockWeight: aStart };
  let members: Setting[] = [];
  if (searched) {
    const lossOf = (st: Setting): number =>
      grid[tried.findIndex((t) => t.C === st.C && t.blockWeight === st.blockWeight)]?.logLoss ?? Infinity;
    const walk = (
      values: number[],
      start: number,
      make: (v: number) => Setting,
      startFits: (HybridFit | undefined)[] | null,
    ): { best: Setting; fits: (HybridFit | undefined)[] } => {
      const fitsAt = new Map<number, (HybridFit | undefined)[]>();
      fitsAt.set(
        start,
        startFits ??
          tryOn(
            make(values[start]!),
            scored.map(() => undefined),
          ),
      );
      let best = start;
      for (const dir of [1, -1]) {
        for (let i = start + dir; i >= 0 && i < values.length; i += dir) {
          fitsAt.set(i, tryOn(make(values[i]!), fitsAt.get(i - dir)!));
          if (lossOf(make(values[i]!)) < lossOf(make(values[best]!)) - 1e-12) best = i;
          else break;
        }
        if (best !== start) break; // improving upward: the other side of the start is not better on a unimodal curve
      }
      return { best: make(values[best]!), fits: fitsAt.get(best)! };
    };
    const hybridAlphas = alphas.filter((a) => a > 0);
    if (hasDense && hasSparse && alphas.includes(0) && Cs.length > 1)
      walk(Cs, Cs.indexOf(cStart), (C) => ({ C, blockWeight: 0 }), null);
    if (hybridAlphas.length > 0) {
      const a0 = hybridAlphas.includes(aStart)
        ? hybridAlphas.indexOf(aStart)
        : Math.floor((hybridAlphas.length - 1) / 2);
      const byAlpha = walk(hybridAlphas, a0, (a) => ({ C: cStart, blockWeight: a }), null);
      if (Cs.length > 1)
        walk(Cs, Cs.indexOf(cStart), (C) => ({ C, blockWeight: byAlpha.best.blockWeight }), byAlpha.fits);
    } else if (Cs.length > 1 && !alphas.includes(0)) {
      walk(Cs, Cs.indexOf(cStart), (C) => ({ C, blockWeight: alphas[0]! }), null);
    }
    const candidates = tried.map((st) => ({ ...st, losses: lossesBySetting.get(key(st))! }));
    options.onSelection?.({
      settings: candidates.map((c) => ({
        ...c,
        temperature: temperatureBySetting.get(key(c))!,
        errors: errorsBySetting.get(key(c))!,
        oof: oofBySetting.get(key(c))!,
      })),
      scoredY: targetArray(scoredTargets),
      mode: mode === "holdout" ? "holdout" : "folds",
      logitsAt: (st, r) => {
        const f = fit(rows, targets, null, st, prevWarm, false).fit;
        if (f.sparseWeights && float16) roundToFloat16InPlace(f.sparseWeights);
        return logitsOf(f, r);
      },
    });
    const rule = { ...DEFAULT_SELECTION_RULE, ...options.selectionRule };
    const eligible = oneSeMembers(candidates, rule);
    setting = eligible[0]!;
    // Which of the eligible settings is best is noise at a few hundred labels, and picking one makes the served model
    // flip between the dense block alone and the hybrid from one retrain to the next. k-fold mode serves the average
    // of the most regularized eligible settings instead (their out-of-fold logits are at hand; each needs a final
    // fit, cheap at k-fold sizes). Paired over 10 seeds against the single pick (bench/results/selection-curves.md):
    // test macro-F1 +1.2 ± 0.4 SST-2 and +1.0 ± 0.5 emotion at 50 labels, +1.9 ± 0.7 emotion at 100, +0.3 ± 0.3
    // SST-2 at 500; TREC −0.1 ± 1.3 at 50; training up to 1.4× longer at 50–100 labels, 1.7× at 200–500.
    // Holdout mode keeps the single pick: each member would need its own final fit (~44 s at 15,000 × 151) and its
    // own calibration fold fit, and averaging did not pay on the five holdout sets (bench/results/selection-curves.md,
    // "Rules compared on the same fits": the two most regularized eligible settings averaged gave TREC 87.93 against
    // 88.24 single, mean of 5 holdout splits; SST-2 83.48 vs 83.50; AG News 89.10 vs 89.23; emotion 82.47 vs 82.23,
    // one split). Neither did the paired
    // one-standard-error rule (se: "paired"), which with ~2,000 scored rows pins the pick near the best: TREC 88.23
    // vs 88.24, emotion 81.87 vs 82.23 (one split).
    if ((options.averageWithinOneSe ?? true) && mode === "folds" && eligible.length > 1)
      members = eligible.slice(0, rule.maxMembers);
  }
  if (members.length === 0) members = [setting];
  /** A member's factor on its raw logits: an equal share over its own out-of-fold temperature. */
  const factorOf = (st: Setting): number => 1 / members.length / (temperatureBySetting.get(key(st)) ?? 1);

  // Out-of-fold logits at the chosen setting for the oofFolds' rows; folds the grid scored on all their rows are reused.
  let oofLogits: Float32Array | null = null;
  let lastFoldFit: HybridFit | undefined;
  if (fold) {
    oofLogits = new Float32Array(n * K);
    const reuse = searched && mode === "folds";
    if (reuse) {
      let z = oofBySetting.get(key(setting))!;
      if (members.length > 1) {
        z = new Float32Array(m * K);
        for (const st of members) {
          const zi = oofBySetting.get(key(st))!;
          const c = factorOf(st);
          for (let j = 0; j < m * K; j++) z[j] = z[j]! + c * zi[j]!;
        }
      }
      for (let r = 0; r < m; r++) oofLogits.set(z.subarray(r * K, r * K + K), scoredIdx[r]! * K);
    }
    totalFits -= reuse ? scored.length : 0;
    for (let f = reuse ? scored.length : 0; f < oofFolds; f++) {
      const { trainIdx, testIdx } = splits[f]!;
      const gridFit = fitsBySetting.get(key(setting))?.[f];
      let mdl: HybridFit;
      if (gridFit && scored[f]!.trainIdx.length === trainIdx.length) {
        // The grid's fit at the chosen setting trained on this fold's whole training part: it predicts every held-out
        // row (the grid scored at most SELECTION_SCORE_ROWS of them). Reusing only the scored rows' logits left the
        // rest at zero — uniform probabilities counted as out-of-fold predictions — once the scored rows were a sample.
        mdl = gridFit;
        totalFits--;
      } else {
        // A fold the grid scored on a sample of its training rows starts from that sample's fit.
        mdl = fit(
          featureRowsSubset(rows, trainIdx),
          subsetTargets(targets, trainIdx, K),
          trainIdx,
          setting,
          gridFit ? asWarm(gridFit) : prevWarm,
          "calibration",
        ).fit;
        lastFoldFit = mdl;
        progress("calibration");
      }
      const z = logitsOf(mdl, featureRowsSubset(rows, testIdx));
      for (let r = 0; r < testIdx.length; r++) oofLogits.set(z.subarray(r * K, r * K + K), testIdx[r]! * K);
    }
  }

  // The final fit sees every row, so it may start from a fold's model (or the caller's warm start).
  const final = fit(rows, targets, null, setting, lastFoldFit ? asWarm(lastFoldFit) : prevWarm, false);
  if (members.length > 1) {
    const fits = members.map((st, i) => (i === 0 ? final.fit : fit(rows, targets, null, st, prevWarm, false).fit));
    final.fit = averageFits(fits, members.map(factorOf));
  }
  fitsDone++;
  options.onProgress?.(fitsDone, fitsDone, "final");
  if (final.fit.sparseWeights && float16) roundToFloat16InPlace(final.fit.sparseWeights);

  // Calibration, on the rows that have out-of-fold logits.
  let temperature = 1;
  let calibration: CalibrationRecord;
  let oofProba: Float32Array | null = null;
  const oofRows = !fold
    ? null
    : oofFolds === folds
      ? Int32Array.from(splits.flatMap((sp) => Array.from(sp.testIdx))).sort()
      : splits[0]!.testIdx;
  const nO = oofRows?.length ?? 0;
  const oofTargets = oofRows && nO < n ? subsetTargets(targets, oofRows, K) : targets;
  if (oofLogits && oofRows && nO < n) {
    const compact = new Float32Array(nO * K);
    for (let r = 0; r < nO; r++) compact.set(oofLogits.subarray(oofRows[r]! * K, oofRows[r]! * K + K), r * K);
    oofLogits = compact;
  }
  const tgt = targetArray(oofTargets);
  if (oofLogits) {
    temperature = fitTemperature(oofLogits, nO, K, task, tgt);
    // Never claim more on average than Laplace's estimate of the out-of-fold accuracy (binds with few rows).
    let correct = 0;
    if (oofTargets.task === "single-label")
      for (let i = 0; i < nO; i++) correct += argmaxRow(oofLogits, i, K) === oofTargets.y[i] ? 1 : 0;
    else for (let i = 0; i < nO * K; i++) correct += (oofLogits[i]! >= 0 ? 1 : 0) === oofTargets.Y[i] ? 1 : 0;
    const total = task === "single-label" ? nO : nO * K;
    const cap = (correct + 1) / (total + 2);
    const raised = raiseTemperature((T) => meanConfidence(oofLogits!, nO, K, task, T), temperature, cap);
    calibration = {
      kind: "temperature-oof",
      tooLittleData: minPerClass < CALIBRATION_MIN_PER_CLASS,
      temperature: raised,
      cap: raised > temperature ? cap : null,
    };
    temperature = raised;
    oofProba = logitsToProbaInPlace(Float32Array.from(oofLogits), nO, K, task, temperature);
  } else {
    const inSample = logitsOf(final.fit, rows);
    const m = Math.max(1, minPerClass);
    const cap = (m + 1) / (m + 2);
    temperature = raiseTemperature((T) => maxConfidence(inSample, n, K, task, T), 1, cap);
    calibration = { kind: "shrinkage", tooLittleData: true, temperature, cap };
  }

  const { thresholds, thresholdPolicy, crossValidated } = outOfFoldPolicy(
    oofProba,
    nO,
    classes,
    oofTargets,
    options.target,
  );
  const selection: SelectionRecord = {
    l2: lambdaOf(setting.C, n),
    C: setting.C,
    blockWeight: hasDense && hasSparse ? setting.blockWeight : null,
    scoring: members.length > 1 ? "tempered-log-loss-1se-average" : "tempered-log-loss-1se",
    ...(members.length > 1
      ? { members: members.map((st) => ({ C: st.C, blockWeight: hasDense && hasSparse ? st.blockWeight : null })) }
      : {}),
    mode: searched ? mode : "fixed",
    folds: canCv ? folds : 0,
    grid,
    ...(searched && mode === "holdout" ? { holdout: { trainRows: scored[0]!.trainIdx.length, scoredRows: m } } : {}),
  };
  const metrics: Record<string, unknown> = {
    trainedRows: n,
    folds: canCv ? folds : 0,
    oofRows: nO,
    temperature,
    l2: selection.l2,
    classWeight: options.classWeight ?? "none",
    blocks: {
      dense: hasDense ? rows.d : 0,
      sparse: hasSparse && members.some((st) => st.blockWeight > 0) ? rows.sparse!.cols : 0,
    },
    selection,
    calibration,
    optimizer: {
      iterations: final.opt.iterations,
      evaluations: final.opt.evaluations,
      converged: final.opt.converged,
      reason: final.opt.reason,
      loss: final.opt.f,
    },
  };
  if (crossValidated) metrics.crossValidated = crossValidated;
  const model: ClassifierModel = {
    ...final.fit.dense,
    temperature,
    featurizerId: options.featurizerId,
    thresholds,
    thresholdPolicy,
    metrics,
  };
  if (final.fit.sparseWeights && options.vocabulary) {
    model.sparse = {
      vocabulary: options.vocabulary,
      weights: final.fit.sparseWeights,
      blockWeight: final.fit.blockWeight,
    };
  }
  return { model, oofProba, oofRows: oofProba ? oofRows : null };
}

/**
 * Σ c_i · fit_i as one linear model: logits are linear in the weights, so the weighted sum of the members' logits is
 * the logits of the summed weights (dense weights in the shared standardized space, sparse weights times each
 * member's α, served with α = 1). Members fit on the same rows share the standardization.
 */
function averageFits(fits: HybridFit[], c: number[]): HybridFit {
  const first = fits[0]!.dense;
  const weights = new Float32Array(first.weights.length);
  const bias = new Float32Array(first.bias.length);
  const withSparse = fits.find((f) => f.sparseWeights);
  const sparse = withSparse ? new Float32Array(withSparse.sparseWeights!.length) : null;
  fits.forEach((f, i) => {
    for (let j = 0; j < first.mean.length; j++)
      if (f.dense.mean[j] !== first.mean[j] || f.dense.scale[j] !== first.scale[j])
        throw new Error("averageFits: members standardized differently");
    const ci = c[i]!;
    for (let j = 0; j < weights.length; j++) weights[j] = weights[j]! + ci * f.dense.weights[j]!;
    for (let k = 0; k < bias.length; k++) bias[k] = bias[k]! + ci * f.dense.bias[k]!;
    if (sparse && f.sparseWeights) {
      const cs = ci * f.blockWeight;
      for (let j = 0; j < sparse.length; j++) sparse[j] = sparse[j]! + cs * f.sparseWeights[j]!;
    }
  });
  return { dense: { ...first, weights, bias, temperature: 1 }, sparseWeights: sparse, blockWeight: 1 };
}

/** A previous model as a warm start; its sparse weights count only when its vocabulary is this one (same columns). */
function warmStartOf(prev: ClassifierModel, vocabulary: NgramVocabulary | undefined): HybridWarmStart {
  return {
    model: prev,
    sparseWeights: prev.sparse?.weights ?? null,
    blockWeight: prev.sparse?.blockWeight ?? 1,
    sameSparseColumns:
      prev.sparse !== undefined && vocabulary !== undefined && sameVocabulary(prev.sparse.vocabulary, vocabulary),
  };
}

function sameVocabulary(a: NgramVocabulary, b: NgramVocabulary): boolean {
  if (a === b) return true;
  if (a.size !== b.size || a.docCount !== b.docCount || a.minDf !== b.minDf) return false;
  for (let j = 0; j < a.size; j++) if (a.keys[j] !== b.keys[j] || a.df[j] !== b.df[j]) return false;
  return true;
}
