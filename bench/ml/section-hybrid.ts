import os from "node:os";
import { classifierToJSON } from "@/ml/classifier-artifact";
import { predictProbaRows } from "@/ml/classifier-model";
import { featureRowsSubset, type FeatureRows } from "@/ml/feature-rows";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import type { NgramVocabulary } from "@/ml/ngram-vocabulary";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { trainHybridClassifier, type SelectionRecord } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelDataset } from "./datasets";
import type { BenchContext } from "./run";

/** Macro-F1 of the scikit-learn word + char TF-IDF + LR pipeline (bench/ml/reference, bench/results/reference-tfidf-lr.json). */
const SKLEARN: Record<string, number> = {
  ag_news: 87.6,
  trec: 89.0,
  sst2: 82.6,
  banking77: 91.3,
  sms_spam: 97.1,
  emotion: 81.9,
};
const CURVE = [50, 100, 200];
// Ten seeds: at 50–200 labels one seed's macro-F1 moves by points, and three left the sign of a 0.2-point
// difference to chance; each cell reports the paired difference with its standard error.
const CURVE_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

interface Run {
  f1: number;
  acc: number;
  seconds: number;
  selection: SelectionRecord;
  artifactMB: number;
}

function evaluate(
  ds: SingleLabelDataset,
  rows: FeatureRows,
  test: FeatureRows,
  y: Int32Array,
  vocab: NgramVocabulary,
): Run {
  const t = performance.now();
  const { model } = trainHybridClassifier(
    rows,
    ds.classes,
    { task: "single-label", y },
    { featurizerId: "bench", vocabulary: rows.sparse ? vocab : undefined },
  );
  const seconds = (performance.now() - t) / 1000;
  const P = predictProbaRows(model, test);
  const K = ds.classes.length;
  const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(P, i, K));
  const r = evaluateSingleLabel(ds.test.y, pred, ds.classes);
  return {
    f1: r.macro.f1 * 100,
    acc: r.accuracy * 100,
    seconds,
    selection: model.metrics.selection as SelectionRecord,
    artifactMB: JSON.stringify(classifierToJSON(model)).length / 1e6,
  };
}

const only = (r: FeatureRows, dense: boolean, sparse: boolean): FeatureRows => ({
  n: r.n,
  dense: dense ? r.dense : null,
  d: dense ? r.d : 0,
  sparse: sparse ? r.sparse : null,
});
const sel = (s: SelectionRecord): string =>
  `C ${s.C}${s.blockWeight === null ? "" : `, α ${s.blockWeight}`}, ${s.mode === "folds" ? `${s.folds} folds` : s.mode}`;

/**
 * The default learner (ngrams@1+glove-sif-200@1: trainHybridClassifier with its model selection) against its two
 * blocks alone and scikit-learn's TF-IDF + LR, on the full train split of the six single-label sets; and macro-F1 at
 * 50 / 100 / 200 random labels, hybrid vs the dense block alone (the previous default).
 */
export async function runHybridFullData(ctx: BenchContext): Promise<string> {
  const loadStart = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ");
  const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: ctx.cacheDir });
  const lines: string[] = [];
  const curveLines: string[] = [];
  const misses: string[] = [];
  for (const name of SINGLE_LABEL.filter((n) => !ctx.datasets || ctx.datasets.includes(n))) {
    const ds = loadSingleLabel(name);
    const { vocab, train, test } = await hybridRows(ds, featurizer);
    const runs: Run[] = [];
    for (const [label, dn, sp] of [
      ["hybrid", true, true],
      ["sparse", false, true],
      ["dense", true, false],
    ] as const) {
      const r = evaluate(ds, only(train, dn, sp), only(test, dn, sp), ds.train.y, vocab);
      runs.push(r);
      ctx.log(
        `hybrid ${name} ${label}: acc ${r.acc.toFixed(1)} macro-F1 ${r.f1.toFixed(1)} ${r.seconds.toFixed(1)} s (${sel(r.selection)})`,
      );
    }
    const hy = runs[0]!;
    const gap = hy.f1 - SKLEARN[name]!;
    if (gap < -0.5)
      misses.push(`${name} at full data (${gap.toFixed(1)} against scikit-learn, ${ds.test.texts.length} test texts)`);
    const cell = (r: Run): string =>
      `${r.acc.toFixed(1)} / ${r.f1.toFixed(1)} (${r.seconds.toFixed(0)} s; ${sel(r.selection)})`;
    lines.push(
      `| ${name} (${train.n} / ${test.n}, V ${vocab.size}) | ${runs.map(cell).join(" | ")} | ${SKLEARN[name]!.toFixed(1)} | ${gap < -0.5 ? `**${gap.toFixed(1)}**` : gap.toFixed(1)} | ${hy.artifactMB.toFixed(2)} MB |`,
    );
    const cells: string[] = [];
    for (const m of CURVE) {
      const f1 = { hybrid: 0, dense: 0 };
      const diffs: number[] = [];
      for (const seed of CURVE_SEEDS) {
        // Random labels: a seeded sample of the train split; the vocabulary still sees every train text (the pool).
        const idx = Int32Array.from({ length: train.n }, (_, i) => i);
        shuffleInPlace(idx, createRng(seed * 1000 + m));
        const pick = idx.slice(0, m).sort();
        const sub = featureRowsSubset(train, pick);
        const y = Int32Array.from(pick, (i) => ds.train.y[i]!);
        const h = evaluate(ds, sub, test, y, vocab).f1;
        const dn = evaluate(ds, only(sub, true, false), only(test, true, false), y, vocab).f1;
        f1.hybrid += h / CURVE_SEEDS.length;
        f1.dense += dn / CURVE_SEEDS.length;
        diffs.push(h - dn);
      }
      const meanDiff = diffs.reduce((a, b) => a + b, 0) / diffs.length;
      const se = Math.sqrt(diffs.reduce((a, b) => a + (b - meanDiff) ** 2, 0) / (diffs.length - 1) / diffs.length);
      const lost = f1.hybrid < f1.dense - 1e-9;
      if (lost)
        misses.push(
          `${name} at ${m} labels (${meanDiff.toFixed(2)} ± ${se.toFixed(2)} against the dense block alone${-meanDiff > 2 * se ? ", beyond two standard errors" : ", within two standard errors"})`,
        );
      const text = `${f1.hybrid.toFixed(1)} / ${f1.dense.toFixed(1)} (${meanDiff >= 0 ? "+" : ""}${meanDiff.toFixed(1)} ± ${se.toFixed(1)})`;
      cells.push(lost ? `**${text}**` : text);
      ctx.log(`hybrid ${name} ${m} labels: hybrid ${f1.hybrid.toFixed(1)} dense ${f1.dense.toFixed(1)}`);
    }
    curveLines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
  await featurizer.close();
  const loadEnd = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ");
  return `## 2. The default learner at full data and with few labels

\`ngrams@1+glove-sif-200@1\`, the default of new projects and \`margin train\`: trainHybridClassifier (src/ml) on
[GloVe-SIF 200-d, word 1–2-gram + char_wb 2–5-gram TF-IDF] with C (λ = 1/(C·n)) and the n-gram block's weight α chosen
by out-of-fold tempered log-loss and the one-standard-error rule (k-fold up to 3,000 rows, one holdout fold above;
in k-fold mode the served model averages the five most regularized settings within one standard error, the dense
block alone included: bench/results/selection-curves.md), out-of-fold temperature, final fit on all rows. The vocabulary's document frequencies come from the train texts (a
project's pool). Cells: test accuracy / macro-F1 %, training time (selection, calibration and final fit), the chosen
setting. scikit-learn: the same word + char TF-IDF features (min_df 2, sublinear tf), L2 logistic regression C = 10
(bench/ml/reference). Bold: the hybrid more than 0.5 below scikit-learn. Load average (1 / 5 / 15 min) at the start:
${loadStart}; at the end: ${loadEnd} (times inflate with it).

| dataset (train / test, V) | hybrid (default) | n-grams only | dense only (glove-sif-200@1) | scikit-learn macro-F1 | default − scikit-learn | default's artifact |
|---|---|---|---|---|---|---|
${lines.join("\n")}

Macro-F1 at ${CURVE.join(" / ")} random labels (mean of ${CURVE_SEEDS.length} seeds), default / dense block alone, and the paired
difference ± its standard error over seeds (bold: the default lower):

| dataset | ${CURVE.map((m) => `${m} labels`).join(" | ")} |
|---|${CURVE.map(() => "---").join("|")}|
${curveLines.join("\n")}

Equal cells mean the selection chose the dense block alone (α = 0), as the dense-only run did. ${misses.length ? `Misses: ${misses.join("; ")}.` : "No misses."}
`;
}
