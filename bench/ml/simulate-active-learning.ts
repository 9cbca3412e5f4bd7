import { argmaxRow, predictProba, type LinearModel } from "@/ml/linear-model";
import { macroF1FromConfusion } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { scoreChunk, type Strategy } from "@/ml/uncertainty";
import { selectDiverseBatch } from "@/ml/select-diverse-batch";
import { TopKSelector } from "@/ml/top-k-selector";
import { trainLogisticRegression } from "@/ml/train-logistic-regression";

export type BenchStrategy = Strategy | "margin+diversity" | "threshold-margin+diversity" | "threshold-margin-mean+diversity";

export interface AlConfig {
  seedPerClass: number;
  batch: number;
  budget: number;
  l2: number;
  /** Pool chunk size for scoring (exercises the streaming API). */
  chunk?: number;
}

export interface Curve { labels: number[]; macroF1: number[] }

const CHUNK = 4096;

/** Picks `batch` unlabeled pool rows by the strategy, streaming the pool through scoreChunk + TopKSelector. */
function pickBatch(
  model: LinearModel, X: Float32Array, d: number, labeled: Uint8Array, strategy: BenchStrategy, batch: number, seed: number, round: number,
): number[] {
  const n = labeled.length;
  const K = model.classes.length;
  const diverse = strategy.endsWith("+diversity");
  const base = (diverse ? strategy.replace("+diversity", "") : strategy) as Strategy;
  const sel = new TopKSelector(diverse ? batch * 10 : batch);
  const out = new Float32Array(CHUNK);
  for (let o = 0; o < n; o += CHUNK) {
    const m = Math.min(CHUNK, n - o);
    const pr = base === "random" ? new Float32Array(m * K) : predictProba(model, X.subarray(o * d, (o + m) * d), m);
    const s = scoreChunk(pr, m, K, base, { seed: seed * 1000 + round, offset: o, out });
    for (let i = 0; i < m; i++) if (!labeled[o + i]) sel.push(s[i]!, o + i);
  }
  const { ids } = sel.result();
  if (!diverse) return ids;
  const emb = new Float32Array(ids.length * d);
  ids.forEach((id, r) => emb.set(X.subarray(id * d, id * d + d), r * d));
  return selectDiverseBatch(emb, ids.length, d, batch, { method: "dedupe", maxCosine: 0.9 }).map((p) => ids[p]!);
}

/** Single-label pool-based simulation: seed set of seedPerClass per class, then batches up to the budget. */
export function simulateSingleLabel(
  Xpool: Float32Array, ypool: Int32Array, Xtest: Float32Array, ytest: Int32Array, d: number, classes: string[],
  strategy: BenchStrategy, seed: number, cfg: AlConfig,
): Curve {
  const n = ypool.length;
  const K = classes.length;
  const rng = createRng(seed);
  const labeled = new Uint8Array(n);
  const chosen: number[] = [];
  for (let k = 0; k < K; k++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (ypool[i] === k) idx.push(i);
    shuffleInPlace(idx, rng);
    for (const i of idx.slice(0, cfg.seedPerClass)) { labeled[i] = 1; chosen.push(i); }
  }
  const curve: Curve = { labels: [], macroF1: [] };
  let model: LinearModel | undefined;
  const nTest = ytest.length;
  const C = new Int32Array(K * K);
  for (let round = 0; ; round++) {
    const Xl = new Float32Array(chosen.length * d);
    const yl = new Int32Array(chosen.length);
    chosen.forEach((i, r) => { Xl.set(Xpool.subarray(i * d, i * d + d), r * d); yl[r] = ypool[i]!; });
    model = trainLogisticRegression(Xl, chosen.length, d, classes, { task: "single-label", y: yl }, { l2: cfg.l2, warmStart: model, gtol: 1e-4, maxIter: 200 }).model;
    const P = predictProba(model, Xtest, nTest);
    C.fill(0);
    for (let i = 0; i < nTest; i++) C[ytest[i]! * K + argmaxRow(P, i, K)]! += 1;
    curve.labels.push(chosen.length);
    curve.macroF1.push(macroF1FromConfusion(C, K));
    if (chosen.length >= cfg.budget) break;
    const take = Math.min(cfg.batch, cfg.budget - chosen.length);
    for (const i of pickBatch(model, Xpool, d, labeled, strategy, take, seed, round)) { labeled[i] = 1; chosen.push(i); }
  }
  return curve;
}

/** Multi-label simulation: seed set = random rows, macro-F1 at threshold 0.5. */
export function simulateMultiLabel(
  Xpool: Float32Array, Ypool: Uint8Array, Xtest: Float32Array, Ytest: Uint8Array, d: number, classes: string[],
  strategy: BenchStrategy, seed: number, cfg: AlConfig & { seedSize: number },
): Curve {
  const K = classes.length;
  const n = Ypool.length / K;
  const rng = createRng(seed);
  const labeled = new Uint8Array(n);
  const perm = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(perm, rng);
  const chosen = perm.slice(0, cfg.seedSize);
  for (const i of chosen) labeled[i] = 1;
  const curve: Curve = { labels: [], macroF1: [] };
  let model: LinearModel | undefined;
  const nTest = Ytest.length / K;
  for (let round = 0; ; round++) {
    const Xl = new Float32Array(chosen.length * d);
    const Yl = new Uint8Array(chosen.length * K);
    chosen.forEach((i, r) => { Xl.set(Xpool.subarray(i * d, i * d + d), r * d); Yl.set(Ypool.subarray(i * K, i * K + K), r * K); });
    model = trainLogisticRegression(Xl, chosen.length, d, classes, { task: "multi-label", Y: Yl }, { l2: cfg.l2, warmStart: model, gtol: 1e-4, maxIter: 200, classWeight: "balanced" }).model;
    const P = predictProba(model, Xtest, nTest);
    const Yhat = P.map((p) => (p >= 0.5 ? 1 : 0));
    curve.labels.push(chosen.length);
    curve.macroF1.push(evaluateMultiLabel(Ytest, Yhat, nTest, classes).macro.f1);
    if (chosen.length >= cfg.budget) break;
    const take = Math.min(cfg.batch, cfg.budget - chosen.length);
    for (const i of pickBatch(model, Xpool, d, labeled, strategy, take, seed, round)) { labeled[i] = 1; chosen.push(i); }
  }
  return curve;
}
