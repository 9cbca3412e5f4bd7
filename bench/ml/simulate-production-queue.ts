import type { ClassifierModel } from "@/ml/classifier-model";
import { coldStartBatch } from "@/ml/cold-start-batch";
import { decideClasses } from "@/ml/decide-classes";
import { gradientEmbeddingBatch } from "@/ml/gradient-embedding-batch";
import { argmaxRow } from "@/ml/linear-model";
import { macroF1FromConfusion } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { scoreChunk } from "@/ml/uncertainty";
import { selectDiverseBatch } from "@/ml/select-diverse-batch";
import { TopKSelector } from "@/ml/top-k-selector";
import { modelProbabilities } from "@/ml/model-probabilities";
import { fitClassifier, type Calibration } from "@/ml/fit-classifier";
import { subsetTargets } from "@/ml/train-classifier";
import type { Targets } from "@/ml/train-logistic-regression";
import { queueStrategy } from "@/server/domain/scoring/queue-strategy";
import { laplaceBald } from "./laplace-bald";

/**
 * What orders the queue. Before the first model every strategy serves random items, as production does, except
 * "cold-start": its first batch is cluster representatives of the dense vectors (coldStartBatch), then random until
 * a model exists, then margin+diversity. "badge": the 10 × batch most uncertain by margin, then the batch by k-means++ over their
 * gradient embeddings (gradientEmbeddingBatch; single-label only, the embedding assumes a softmax). For multi-label
 * pools "margin" and "margin+diversity" rank as production does (queue-strategy.ts: the label closest to its threshold).
 * "softrank" (bench only, not a production strategy yet): production's margin ranking, then the picks drawn at random
 * with probability ∝ 1 / rank (softRankOrder) — less greedy than the head, a hedge against uncertain-but-uninformative
 * items (SST-2's short ambiguous sentences). "representative" (bench only; Zhdanov 2019, diverse mini-batch active
 * learning): the same 10 × batch least-margin candidates, then the batch as their cluster representatives (k-means++
 * seeding and Lloyd steps over the dense vectors, the nearest candidate to each centre: coldStartBatch) — typical
 * texts of the uncertain region instead of its outliers. "bald" (bench only, single-label): the ranking by the mutual
 * information between label and weights under a diagonal Laplace posterior (laplace-bald.ts) instead of the margin,
 * then margin+diversity's head. "density" (bench only; information density, Settles & Craven 2008): the margin
 * priority times the text's mean cosine similarity to the pool ((1 + cos to the mean unit vector) / 2, β = 1), then
 * margin+diversity's head — uncertain and typical rather than uncertain and odd.
 */
export type QueueStrategy =
  | "random"
  | "margin"
  | "margin+diversity"
  | "cold-start"
  | "badge"
  | "softrank"
  | "representative"
  | "bald"
  | "density";

export interface QueueConfig {
  /**
   * Labels per class given before the queue starts (seeded; the examples a user brings, as training needs 2 per class
   * anyway), or 0: the project starts empty and the queue serves items before any model exists.
   */
  seedPerClass: number;
  /** Labels between retrains (Project.retrainEvery, default 20). */
  retrainEvery: number;
  /** Share of picks served at random (Project.queueRandomShare, default 0.1). */
  randomShare: number;
  /** Training refuses while a class has fewer labels (Project.minLabelsPerClass, default 2). */
  minLabelsPerClass: number;
  budget: number;
  /** A learner variant (bench experiments; absent: production's): see fitClassifier's denseAloneUpTo. */
  denseAloneUpTo?: number;
}

export interface Pool {
  texts: string[];
  /** Single-label: class per text; multi-label: [n × K] 0/1 (a text may have none). */
  targets: Targets;
  /** The dense featurizer's vectors [n × d]. */
  X: Float32Array;
}

// The production strategy each simulated one runs as (badge and cold-start rank by margin, then their own head).
const PRODUCTION_STRATEGY = {
  random: "random",
  margin: "margin",
  "margin+diversity": "margin_diversity",
  "cold-start": "margin_diversity",
  badge: "margin",
  softrank: "margin",
  representative: "margin",
  bald: "margin_diversity",
  density: "margin_diversity",
} as const;

export interface QueueCurve {
  labels: number[];
  macroF1: number[];
  /** Labels when the first model could be trained (every class had minLabelsPerClass), or null. */
  firstModelAt: number | null;
  fitSeconds: number;
  /** Each retrain's C and n-gram block weight α, and whether it searched them or kept the last search's. */
  settings?: { labels: number; C: number | null; blockWeight: number | null; searched: boolean }[];
  /** Pool indices in labeling order (seed set first), to refit a strategy's labeled set offline. */
  chosen?: number[];
}

export const HYBRID_ID = "ngrams@1+glove-sif-200@1";
// diversify-queue-head.ts: the diverse head is the retrain interval (10–500) picked from 10 × that many candidates.
const CANDIDATES_PER_PICK = 10;
const MAX_COSINE = 0.9;

/**
 * Macro-F1 with no model: every test text gets the labeled set's most frequent class (what a user has then);
 * multi-label: no label is on, so every label's F1 is 0.
 */
function noModelMacroF1(test: Targets, K: number, labeledY: number[]): number {
  if (test.task === "multi-label" || labeledY.length === 0) return 0;
  const yTest = test.y;
  const counts = new Array<number>(K).fill(0);
  for (const c of labeledY) counts[c]!++;
  const top = counts.indexOf(Math.max(...counts));
  const C = new Int32Array(K * K);
  for (let i = 0; i < yTest.length; i++) C[yTest[i]! * K + top]! += 1;
  return macroF1FromConfusion(C, K);
}

/**
 * One simulated project with an oracle annotator, as production runs it (docs in bench/results/ml.md, section 1):
 * after the seed set (if any), picks come in batches of retrainEvery from the latest ranking (each pick random with probability
 * randomShare); after every batch, a retrain through fitClassifier with production's options (hybrid n-grams +
 * dense, IDF from the pool, warm start and the inherited selection of C and α from the previous version), refused
 * while a class has fewer than minLabelsPerClass labels; the pool is then rescored with modelProbabilities.
 * Test macro-F1 is recorded after every batch.
 */
export function simulateProductionQueue(
  pool: Pool,
  test: Pool,
  d: number,
  classes: string[],
  strategy: QueueStrategy,
  seed: number,
  cfg: QueueConfig,
): QueueCurve {
  const n = pool.texts.length;
  const K = classes.length;
  const { targets } = pool;
  if ((strategy === "badge" || strategy === "bald") && targets.task === "multi-label")
    throw new Error(`${strategy}: single-label pools only`);
  // Per class, the labeled texts that carry it (single-label: its class; multi-label: each of its labels).
  const classesOf = (i: number): number[] => {
    if (targets.task === "single-label") return [targets.y[i]!];
    const on: number[] = [];
    for (let k = 0; k < K; k++) if (targets.Y[i * K + k]) on.push(k);
    return on;
  };
  const B = Math.min(500, Math.max(10, cfg.retrainEvery));
  // Separate streams: the random-share rolls are the same sequence for every strategy of a seed.
  const rolls = createRng(seed * 7919 + 1);
  const randomPicks = createRng(seed * 7919 + 2);
  const labeled = new Uint8Array(n);
  const chosen: number[] = [];
  const curve: QueueCurve = { labels: [], macroF1: [], firstModelAt: null, fitSeconds: 0, settings: [] };
  let model: ClassifierModel | undefined;
  let calibration: Calibration | null = null;
  let version = 0;

  const randomUnlabeled = (): number => {
    for (;;) {
      const i = randomPicks.int(n);
      if (!labeled[i]) return i;
    }
  };
  const label = (i: number): void => {
    labeled[i] = 1;
    chosen.push(i);
  };
  const train = (): void => {
    const counts = new Array<number>(K).fill(0);
    for (const i of chosen) for (const k of classesOf(i)) counts[k]!++;
    if (!counts.every((c) => c >= cfg.minLabelsPerClass)) return;
    const t0 = performance.now();
    const X = new Float32Array(chosen.length * d);
    chosen.forEach((i, r) => X.set(pool.X.subarray(i * d, i * d + d), r * d));
    const fit = fitClassifier(X, chosen.length, d, classes, subsetTargets(targets, chosen, K), {
      featurizerId: HYBRID_ID,
      seed,
      warmStart: model,
      warmStartCalibration: calibration,
      warmStartVersionId: model ? version : null,
      ngrams: { trainTexts: chosen.map((i) => pool.texts[i]!), dfTexts: pool.texts },
      denseAloneUpTo: cfg.denseAloneUpTo,
    });
    curve.fitSeconds += (performance.now() - t0) / 1000;
    model = fit.model;
    calibration = fit.calibration;
    const selection = model.metrics.selection as { C?: number; blockWeight?: number | null } | undefined;
    curve.settings!.push({
      labels: chosen.length,
      C: selection?.C ?? null,
      blockWeight: selection?.blockWeight ?? null,
      searched: model.metrics.selectionInheritedFrom === undefined,
    });
    version++;
    curve.firstModelAt ??= chosen.length;
  };
  const record = (): void => {
    curve.labels.push(chosen.length);
    curve.macroF1.push(
      model
        ? testMacroF1(model, test, K)
        : noModelMacroF1(
            test.targets,
            K,
            chosen.flatMap((i) => classesOf(i)),
          ),
    );
  };
  if (cfg.seedPerClass > 0) {
    // Class by class, texts of that class until it has seedPerClass (multi-label: texts picked for an earlier label
    // count for every label they carry).
    const byClass = classes.map(() => [] as number[]);
    for (let i = 0; i < n; i++) for (const k of classesOf(i)) byClass[k]!.push(i);
    const seedRng = createRng(seed);
    for (const list of byClass) {
      shuffleInPlace(list, seedRng);
      let have = list.filter((i) => labeled[i]).length;
      for (const i of list) {
        if (have >= cfg.seedPerClass) break;
        if (labeled[i]) continue;
        label(i);
        have++;
      }
    }
  }

  for (let first = true; chosen.length < cfg.budget; first = false) {
    if (first && cfg.seedPerClass > 0) {
      train();
      record();
    }
    const take = Math.min(B, cfg.budget - chosen.length);
    const list = model
      ? rankedList(model, pool, d, labeled, strategy, B, seed * 1000 + version)
      : strategy === "cold-start" && chosen.length === 0
        ? coldStartBatch(pool.X, n, d, take, { seed })
        : [];
    let cursor = 0;
    for (let j = 0; j < take; j++) {
      if (rolls.next() < cfg.randomShare) {
        label(randomUnlabeled());
        continue;
      }
      while (cursor < list.length && labeled[list[cursor]!]) cursor++;
      label(cursor < list.length ? list[cursor++]! : randomUnlabeled());
    }
    train();
    record();
  }
  curve.chosen = chosen;
  return curve;
}

/** Test macro-F1 as production reports it: argmax (single-label); labels at or over their thresholds (multi-label). */
export function testMacroF1(model: ClassifierModel, test: Pool, K: number): number {
  const n = test.texts.length;
  const P = modelProbabilities(model, { n, dense: test.X, texts: test.texts });
  const t = test.targets;
  if (t.task === "multi-label") {
    const { on } = decideClasses(P, n, K, "multi-label", model.thresholds);
    return evaluateMultiLabel(t.Y, on, n, model.classes).macro.f1;
  }
  const C = new Int32Array(K * K);
  for (let i = 0; i < n; i++) C[t.y[i]! * K + argmaxRow(P, i, K)]! += 1;
  return macroF1FromConfusion(C, K);
}

/**
 * The queue's order after scoring (score-item-range.ts + diversify-queue-head.ts): unlabeled items by the priority of
 * production's strategy, with margin+diversity's (and badge's) head of B picked among the 10 × B first moved to the front.
 */
function rankedList(
  model: ClassifierModel,
  pool: Pool,
  d: number,
  labeled: Uint8Array,
  strategy: QueueStrategy,
  B: number,
  seed: number,
): number[] {
  const n = pool.texts.length;
  const K = model.classes.length;
  const P = modelProbabilities(model, { n, dense: pool.X, texts: pool.texts });
  const base = queueStrategy(PRODUCTION_STRATEGY[strategy], model.task === "multi-label");
  const priority =
    strategy === "bald"
      ? laplaceBald(model, { n, X: pool.X, texts: pool.texts }, labeled, { seed })
      : scoreChunk(P, n, K, base, { seed, thresholds: model.thresholds });
  if (strategy === "density") {
    const density = poolDensity(pool.X, n, d);
    for (let i = 0; i < n; i++) priority[i] = priority[i]! * density[i]!;
  }
  if (strategy === "softrank") return softRankOrder(priority, labeled, seed);
  const sel = new TopKSelector(CANDIDATES_PER_PICK * B);
  for (let i = 0; i < n; i++) if (!labeled[i]) sel.push(priority[i]!, i);
  const { ids } = sel.result();
  if (strategy === "random" || strategy === "margin") return ids;
  const emb = new Float32Array(ids.length * d);
  ids.forEach((id, r) => emb.set(pool.X.subarray(id * d, id * d + d), r * d));
  let head: number[];
  if (strategy === "badge") {
    const Pc = new Float32Array(ids.length * K);
    ids.forEach((id, r) => Pc.set(P.subarray(id * K, id * K + K), r * K));
    head = gradientEmbeddingBatch(Pc, emb, ids.length, K, d, B, { seed });
  } else if (strategy === "representative") {
    head = coldStartBatch(emb, ids.length, d, Math.min(B, ids.length), { seed });
  } else {
    head = selectDiverseBatch(emb, ids.length, d, Math.min(B, ids.length), { method: "dedupe", maxCosine: MAX_COSINE });
  }
  const inHead = new Set(head);
  return [...head.map((p) => ids[p]!), ...ids.filter((_, p) => !inHead.has(p))];
}

const DENSITY = new WeakMap<Float32Array, Float64Array>();
/** (1 + mean cosine to every pool text) / 2 per text: the dot of its unit vector with the mean unit vector. */
function poolDensity(X: Float32Array, n: number, d: number): Float64Array {
  const cached = DENSITY.get(X);
  if (cached) return cached;
  const unit = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) {
      unit[i * d + j] = X[i * d + j]! * inv;
      mean[j] = mean[j]! + unit[i * d + j]! / n;
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < d; j++) c += unit[i * d + j]! * mean[j]!;
    out[i] = (1 + c) / 2;
  }
  DENSITY.set(X, out);
  return out;
}

/**
 * Stochastic acquisition by rank (Kirsch et al. 2023, "softrank"): the unlabeled items in a random order drawn without
 * replacement with probability ∝ rank^-1 of their priority (Gumbel-top-k: key = −log rank + Gumbel noise).
 */
function softRankOrder(priority: Float32Array | Float64Array, labeled: Uint8Array, seed: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < priority.length; i++) if (!labeled[i]) ids.push(i);
  ids.sort((a, b) => priority[b]! - priority[a]! || a - b);
  const rng = createRng(seed * 31 + 7);
  const key = new Float64Array(ids.length);
  for (let r = 0; r < ids.length; r++) key[r] = -Math.log(r + 1) - Math.log(-Math.log(rng.next() || 1e-300));
  const order = Array.from(ids.keys()).sort((a, b) => key[b]! - key[a]!);
  return order.map((r) => ids[r]!);
}
