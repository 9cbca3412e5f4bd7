import type { ClassifierModel } from "@/ml/classifier-model";
import { computeLogits, logitsToProbaInPlace, type LinearModel } from "@/ml/linear-model";
import { outOfFoldPolicy } from "@/ml/out-of-fold-policy";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { fitTemperature } from "@/ml/temperature-scaling";
import {
  optimizerFacts,
  trainLogisticRegression,
  type Targets,
  type TrainOptions,
} from "@/ml/train-logistic-regression";

export interface TrainClassifierOptions extends TrainOptions {
  featurizerId: string;
  /** Cross-validation folds for calibration, thresholds and honest metrics (0 = skip). Default 5 (3 above 20k rows). */
  folds?: number;
  /** Seed for the fold assignment. */
  seed?: number;
  /** Choose per-class thresholds to reach this precision or recall on out-of-fold predictions. */
  target?: { precision: number } | { recall: number };
  /** Called after every fit: (fits done, fits planned = folds + 1, what the fit was for). */
  onProgress?: (done: number, total: number, phase: "calibration" | "final") => void;
}

export interface TrainClassifierResult {
  model: ClassifierModel;
  /** Out-of-fold calibrated probabilities [n × K] (null when CV was skipped): feed likelyMislabeled with these. */
  oofProba: Float32Array | null;
}

function rowsOf(X: Float32Array, d: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(X.subarray(idx[r]! * d, idx[r]! * d + d), r * d);
  return out;
}

/** The targets of rows `idx`, in that order (a fold, a sample). */
export function subsetTargets(t: Targets, idx: ArrayLike<number>, K: number): Targets {
  if (t.task === "single-label")
    return { task: t.task, y: Int32Array.from({ length: idx.length }, (_, r) => t.y[idx[r]!]!) };
  const Y = new Uint8Array(idx.length * K);
  for (let r = 0; r < idx.length; r++) Y.set(t.Y.subarray(idx[r]! * K, idx[r]! * K + K), r * K);
  return { task: t.task, Y };
}

/**
 * Multi-label rows whose first positive label starts fewer than this many rows are stratified with the largest
 * stratum: a stratum smaller than the number of folds would otherwise cap the folds at its size, and a single rare
 * label (GoEmotions at 500 labels: a few first positives of "grief") switched the whole cross-validation off, and with
 * it the temperature, the out-of-fold thresholds and the cross-validated metrics.
 */
export const MULTI_LABEL_MIN_STRATUM = 5;

/**
 * Each row's stratum for fold assignment: its label (single-label), or its first positive label, −1 for none
 * (multi-label; first positives rarer than MULTI_LABEL_MIN_STRATUM rows join the largest stratum).
 */
export function targetStrata(t: Targets, n: number, K: number): Int32Array {
  const strata = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (t.task === "single-label") strata[i] = t.y[i]!;
    else {
      let s = -1;
      for (let k = 0; k < K; k++)
        if (t.Y[i * K + k]) {
          s = k;
          break;
        }
      strata[i] = s;
    }
  }
  if (t.task === "multi-label") {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(strata[i]!, (counts.get(strata[i]!) ?? 0) + 1);
    let largest = -1;
    let size = -1;
    for (const [s, c] of counts)
      if (c > size || (c === size && s < largest)) {
        largest = s;
        size = c;
      }
    for (let i = 0; i < n; i++) if (counts.get(strata[i]!)! < MULTI_LABEL_MIN_STRATUM) strata[i] = largest;
  }
  return strata;
}

/** Stratified (by label, or by first positive label for multi-label) seeded fold assignment. */
export function stratifiedFolds(strata: Int32Array, folds: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const list = byClass.get(strata[i]!) ?? [];
    list.push(i);
    byClass.set(strata[i]!, list);
  }
  const fold = new Int32Array(strata.length);
  let next = 0;
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(key)!;
    shuffleInPlace(list, rng);
    for (const i of list) {
      fold[i] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/**
 * Trains the production classifier: k-fold cross-validation gives out-of-fold logits, on which the temperature,
 * the per-class thresholds and the reported metrics are computed; the final model is then fit on all rows
 * (warm-started) and carries that temperature. X: Float32Array [n × d].
 */
export function trainClassifier(
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  targets: Targets,
  options: TrainClassifierOptions,
): TrainClassifierResult {
  const K = classes.length;
  const task = targets.task;
  const strata = targetStrata(targets, n, K);
  const minPerClass = (() => {
    const c = new Map<number, number>();
    for (let i = 0; i < n; i++) c.set(strata[i]!, (c.get(strata[i]!) ?? 0) + 1);
    return c.size < 2 ? 0 : Math.min(...c.values());
  })();
  let folds = options.folds ?? (n > 20000 ? 3 : 5);
  folds = Math.min(folds, minPerClass, n);
  let temperature = 1;
  let oofProba: Float32Array | null = null;
  let oofLogits: Float32Array | null = null;
  // The final fit on all rows may start from the last fold's model: it sees all rows anyway.
  let warm: LinearModel | undefined = options.warmStart;
  if (folds >= 2) {
    const fold = stratifiedFolds(strata, folds, options.seed ?? 0);
    oofLogits = new Float32Array(n * K);
    for (let f = 0; f < folds; f++) {
      const trainIdx: number[] = [];
      const testIdx: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === f ? testIdx : trainIdx).push(i);
      // Each fold starts from the caller's warm start (never from another fold's model, which saw this fold's rows).
      const { model } = trainLogisticRegression(
        rowsOf(X, d, trainIdx),
        trainIdx.length,
        d,
        classes,
        subsetTargets(targets, trainIdx, K),
        options,
      );
      warm = model;
      const z = computeLogits(model, rowsOf(X, d, testIdx), testIdx.length);
      for (let r = 0; r < testIdx.length; r++) oofLogits.set(z.subarray(r * K, r * K + K), testIdx[r]! * K);
      options.onProgress?.(f + 1, folds + 1, "calibration");
    }
    temperature = fitTemperature(oofLogits, n, K, task, targets.task === "single-label" ? targets.y : targets.Y);
    oofProba = logitsToProbaInPlace(Float32Array.from(oofLogits), n, K, task, temperature);
  }
  const final = trainLogisticRegression(X, n, d, classes, targets, { ...options, warmStart: warm });
  const planned = folds >= 2 ? folds + 1 : 1;
  options.onProgress?.(planned, planned, "final");
  const { thresholds, thresholdPolicy, crossValidated } = outOfFoldPolicy(
    oofProba,
    n,
    classes,
    targets,
    options.target,
  );
  const metrics: Record<string, unknown> = {
    trainedRows: n,
    folds: folds >= 2 ? folds : 0,
    temperature,
    l2: options.l2 ?? 1e-3,
    classWeight: options.classWeight ?? "none",
    optimizer: optimizerFacts(final.optimizer),
  };
  if (crossValidated) metrics.crossValidated = crossValidated;
  return {
    model: { ...final.model, temperature, featurizerId: options.featurizerId, thresholds, thresholdPolicy, metrics },
    oofProba,
  };
}
