/**
 * Multi-label decision thresholds: what each policy, chosen on production's out-of-fold probabilities, gives on the
 * GoEmotions test split. `npx tsx bench/ml/multilabel-thresholds.ts [--featurizer glove-sif-200@1|hybrid]
 * [--labels 500,2000,all] [--seeds 3]`. Prints a markdown table.
 */
import os from "node:os";
import path from "node:path";
import { predictProbaRows } from "@/ml/classifier-model";
import { fitClassifier } from "@/ml/fit-classifier";
import { ngramMatrix } from "@/ml/ngram-vocabulary";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadGoEmotions } from "./datasets";
import { embedCached } from "./embed-cached";
import { benchArg as arg } from "../bench-args";

const hybrid = arg("featurizer", "glove-sif-200@1") === "hybrid";
const sizes = arg("labels", "500,2000,all").split(",");
const seeds = Number(arg("seeds", "3"));
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ");

type Policy = (oof: Float32Array, Y: Uint8Array, n: number, K: number) => Float32Array;

/** Per label, the threshold among the OOF scores that maximizes that label's F1 (ties: the higher threshold). */
function bestF1Thresholds(oof: Float32Array, Y: Uint8Array, n: number, K: number, minPositives: number): Float32Array {
  const t = new Float32Array(K).fill(0.5);
  for (let k = 0; k < K; k++) {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => oof[b * K + k]! - oof[a * K + k]!);
    let positives = 0;
    for (let i = 0; i < n; i++) positives += Y[i * K + k]!;
    if (positives < minPositives) continue;
    let tp = 0;
    let best = -1;
    for (let r = 0; r < n; r++) {
      tp += Y[idx[r]! * K + k]!;
      const next = r + 1 < n ? oof[idx[r + 1]! * K + k]! : -1;
      if (next === oof[idx[r]! * K + k]!) continue;
      const f1 = (2 * tp) / (r + 1 + positives);
      if (f1 > best) {
        best = f1;
        t[k] = oof[idx[r]! * K + k]!;
      }
    }
  }
  return t;
}
/** One threshold for every label: the one maximizing OOF macro-F1 over a grid. */
function globalThreshold(oof: Float32Array, Y: Uint8Array, n: number, K: number): Float32Array {
  let best = { t: 0.5, f1: -1 };
  for (let t = 0.05; t <= 0.5 + 1e-9; t += 0.025) {
    const Yhat = new Uint8Array(n * K);
    for (let i = 0; i < n * K; i++) Yhat[i] = oof[i]! >= t ? 1 : 0;
    const f1 = evaluateMultiLabel(
      Y,
      Yhat,
      n,
      Array.from({ length: K }, (_, k) => String(k)),
    ).macro.f1;
    if (f1 > best.f1) best = { t, f1 };
  }
  return new Float32Array(K).fill(best.t);
}
const policies: [string, Policy][] = [
  ["0.5 (today)", (_o, _y, _n, K) => new Float32Array(K).fill(0.5)],
  ["one threshold, best OOF macro-F1", globalThreshold],
  ["per label, best OOF F1", (o, y, n, K) => bestF1Thresholds(o, y, n, K, 1)],
  ["per label, best OOF F1 (≥ 5 positives, else 0.5)", (o, y, n, K) => bestF1Thresholds(o, y, n, K, 5)],
  ["per label, best OOF F1, at most 0.5", (o, y, n, K) => bestF1Thresholds(o, y, n, K, 1).map((t) => Math.min(t, 0.5))],
];

const ds = loadGoEmotions();
const K = ds.classes.length;
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
const cache = path.resolve(".margin/bench-cache");
const Xtr = await embedCached(featurizer, ds.train.texts, cache, true);
const Xte = await embedCached(featurizer, ds.test.texts, cache, true);
const d = featurizer.dim;
console.log(`# GoEmotions thresholds (${hybrid ? "ngrams@1+glove-sif-200@1" : "glove-sif-200@1"}), load ${load()}`);
console.log(`| labels | policy | test macro-F1 (mean over seeds) | micro-F1 | subset acc |`);
console.log(`|---|---|---|---|---|`);
for (const size of sizes) {
  const m = size === "all" ? ds.train.texts.length : Number(size);
  const runs = size === "all" ? 1 : seeds;
  const acc = policies.map(() => ({ macro: 0, micro: 0, subset: 0 }));
  let oofRuns = 0;
  for (let seed = 0; seed < runs; seed++) {
    const idx = Int32Array.from({ length: ds.train.texts.length }, (_, i) => i);
    if (m < idx.length) shuffleInPlace(idx, createRng(seed * 7919 + m));
    const pick = idx.slice(0, m);
    const X = new Float32Array(m * d);
    const Y = new Uint8Array(m * K);
    pick.forEach((i, r) => {
      X.set(Xtr.subarray(i * d, (i + 1) * d), r * d);
      Y.set(ds.train.Y.subarray(i * K, (i + 1) * K), r * K);
    });
    const texts = Array.from(pick, (i) => ds.train.texts[i]!);
    const t0 = performance.now();
    const fit = fitClassifier(
      X,
      m,
      d,
      ds.classes,
      { task: "multi-label", Y },
      {
        featurizerId: hybrid ? "ngrams@1+glove-sif-200@1" : "glove-sif-200@1",
        seed,
        ngrams: hybrid ? { trainTexts: texts, dfTexts: ds.train.texts } : undefined,
      },
    );
    const model = fit.model;
    const testRows = {
      n: ds.test.texts.length,
      dense: Xte,
      d,
      sparse: model.sparse ? ngramMatrix(model.sparse.vocabulary, ds.test.texts) : null,
    };
    const proba = predictProbaRows(model, testRows);
    // Without out-of-fold probabilities (no cross-validation) only the fixed 0.5 can be scored.
    const rows = fit.oof?.rows ?? new Int32Array(0);
    const Yoof = new Uint8Array(rows.length * K);
    rows.forEach((i, r) => Yoof.set(Y.subarray(i * K, (i + 1) * K), r * K));
    policies.forEach(([, policy], p) => {
      if (!fit.oof && p > 0) {
        acc[p]!.macro = NaN;
        return;
      }
      const t = policy(fit.oof?.proba ?? new Float32Array(0), Yoof, rows.length, K);
      const Yhat = new Uint8Array(testRows.n * K);
      for (let i = 0; i < testRows.n * K; i++) Yhat[i] = proba[i]! >= t[i % K]! ? 1 : 0;
      const r = evaluateMultiLabel(ds.test.Y, Yhat, testRows.n, ds.classes);
      acc[p]!.macro += r.macro.f1 / runs;
      acc[p]!.micro += r.micro.f1 / runs;
      acc[p]!.subset += r.subsetAccuracy / runs;
    });
    oofRuns += fit.oof ? 1 : 0;
    console.error(
      `${m} labels seed ${seed}: ${((performance.now() - t0) / 1000).toFixed(0)} s, oof rows ${rows.length}, load ${load()}`,
    );
  }
  policies.forEach(([name], p) =>
    console.log(
      `| ${m} (${oofRuns}/${runs} with CV) | ${name} | ${(100 * acc[p]!.macro).toFixed(1)} | ${(100 * acc[p]!.micro).toFixed(1)} | ${(100 * acc[p]!.subset).toFixed(1)} |`,
    ),
  );
}
