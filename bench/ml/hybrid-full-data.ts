/**
 * Hybrid (GloVe-SIF dense + n-gram TF-IDF sparse) vs sparse-only vs dense-only, trained with trainHybridClassifier
 * (model selection included) on the full train split of the six single-label sets, plus macro-F1 at 50/100/200
 * random labels (mean of 3 seeds) for hybrid vs dense-only. Not in CI:
 *   npx tsx bench/ml/hybrid-full-data.ts [dataset ...] [--no-curve] [--no-full] [--out bench/results/hybrid-full-data.md]
 */
import fs from "node:fs";
import path from "node:path";
import { classifierToJSON } from "@/ml/classifier-artifact";
import { predictProbaRows } from "@/ml/classifier-model";
import { featureRowsSubset, type FeatureRows } from "@/ml/feature-rows";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { fitNgramVocabulary, ngramMatrix, type NgramVocabulary } from "@/ml/ngram-vocabulary";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { trainHybridClassifier, type SelectionRecord } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelDataset, type SingleLabelName } from "./datasets";

const SKLEARN: Record<string, number> = { ag_news: 87.6, trec: 89.0, sst2: 82.6, banking77: 91.3, sms_spam: 97.1, emotion: 81.9 };
const CURVE = [50, 100, 200];
const SEEDS = [1, 2, 3];

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("--") && SINGLE_LABEL.includes(a as SingleLabelName)) as SingleLabelName[];
const outIdx = args.indexOf("--out");
const out = outIdx >= 0 ? args[outIdx + 1] : undefined;
const curve = !args.includes("--no-curve");
const full = !args.includes("--no-full");
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });

interface Run { f1: number; acc: number; seconds: number; selection: SelectionRecord; artifactMB: number }

function evaluate(ds: SingleLabelDataset, rows: FeatureRows, test: FeatureRows, y: Int32Array, vocab: NgramVocabulary | undefined): Run {
  const t = performance.now();
  const { model } = trainHybridClassifier(rows, ds.classes, { task: "single-label", y }, { featurizerId: "bench", vocabulary: rows.sparse ? vocab : undefined });
  const seconds = (performance.now() - t) / 1000;
  const P = predictProbaRows(model, test);
  const K = ds.classes.length;
  const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(P, i, K));
  const r = evaluateSingleLabel(ds.test.y, pred, ds.classes);
  return { f1: r.macro.f1 * 100, acc: r.accuracy * 100, seconds, selection: model.metrics.selection as SelectionRecord, artifactMB: JSON.stringify(classifierToJSON(model)).length / 1e6 };
}

const only = (r: FeatureRows, dense: boolean, sparse: boolean): FeatureRows => ({ n: r.n, dense: dense ? r.dense : null, d: dense ? r.d : 0, sparse: sparse ? r.sparse : null });
const sel = (s: SelectionRecord): string => `C ${s.C}${s.blockWeight === null ? "" : `, α ${s.blockWeight}`} (${s.mode})`;

const lines: string[] = [];
const curveLines: string[] = [];
for (const name of names.length ? names : SINGLE_LABEL) {
  const ds = loadSingleLabel(name);
  // The vocabulary's df comes from the train texts (a project's pool); test texts are transformed with it.
  const tf = performance.now();
  const vocab = fitNgramVocabulary({ dfTexts: ds.train.texts });
  const train: FeatureRows = { n: ds.train.texts.length, dense: await featurizer.embed(ds.train.texts), d: featurizer.dim, sparse: ngramMatrix(vocab, ds.train.texts) };
  const test: FeatureRows = { n: ds.test.texts.length, dense: await featurizer.embed(ds.test.texts), d: featurizer.dim, sparse: ngramMatrix(vocab, ds.test.texts) };
  console.log(`${name}: features ${((performance.now() - tf) / 1000).toFixed(1)} s, V = ${vocab.size}`);
  const runs: [string, Run][] = [];
  for (const [label, dn, sp] of full ? ([["hybrid", true, true], ["sparse", false, true], ["dense", true, false]] as const) : []) {
    const r = evaluate(ds, only(train, dn, sp), only(test, dn, sp), ds.train.y, vocab);
    runs.push([label, r]);
    console.log(`  ${label}: acc ${r.acc.toFixed(1)} macro-F1 ${r.f1.toFixed(1)} ${r.seconds.toFixed(1)} s ${sel(r.selection)} artifact ${r.artifactMB.toFixed(2)} MB`);
  }
  const cell = (r: Run): string => `${r.acc.toFixed(1)} / ${r.f1.toFixed(1)} (${r.seconds.toFixed(0)} s; ${sel(r.selection)})`;
  const hy = runs[0]?.[1];
  if (hy) lines.push(`| ${name} (${train.n} / ${test.n}, V ${vocab.size}) | ${runs.map(([, r]) => cell(r)).join(" | ")} | ${SKLEARN[name]} | ${(hy.f1 - SKLEARN[name]!).toFixed(1)} | ${hy.artifactMB.toFixed(2)} MB |`);
  if (curve) {
    const cells: string[] = [];
    for (const m of CURVE) {
      const f1 = { hybrid: 0, dense: 0 };
      for (const seed of SEEDS) {
        // Random labels: a seeded sample of the train split; the vocabulary still sees every train text (the pool).
        const idx = Int32Array.from({ length: train.n }, (_, i) => i);
        shuffleInPlace(idx, createRng(seed * 1000 + m));
        const pick = idx.slice(0, m).sort();
        const sub = featureRowsSubset(train, pick);
        const y = Int32Array.from(pick, (i) => ds.train.y[i]!);
        f1.hybrid += evaluate(ds, sub, test, y, vocab).f1 / SEEDS.length;
        f1.dense += evaluate(ds, only(sub, true, false), only(test, true, false), y, vocab).f1 / SEEDS.length;
      }
      cells.push(`${f1.hybrid.toFixed(1)} / ${f1.dense.toFixed(1)}`);
      console.log(`  ${m} labels: hybrid ${f1.hybrid.toFixed(1)} dense ${f1.dense.toFixed(1)}`);
    }
    curveLines.push(`| ${name} | ${cells.join(" | ")} |`);
  }
}
const report = [
  "| dataset (train / test, V) | hybrid acc / macro-F1 | sparse only | dense only (glove-sif-200@1) | sklearn macro-F1 | hybrid − sklearn | hybrid artifact |",
  "|---|---|---|---|---|---|---|",
  ...lines,
  ...(curve ? ["", `Macro-F1 at ${CURVE.join(" / ")} random labels (mean of ${SEEDS.length} seeds), hybrid / dense only:`, "", `| dataset | ${CURVE.map((m) => `${m} labels`).join(" | ")} |`, `|---|${CURVE.map(() => "---").join("|")}|`, ...curveLines] : []),
].join("\n");
console.log(`\n${report}`);
if (out) fs.writeFileSync(out, `${report}\n`);
process.exit(0);
