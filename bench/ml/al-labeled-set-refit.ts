/**
 * Why does a queue strategy lose to random on a set? Either its labels teach less, or the learner's choice of C and
 * the n-gram block weight α on those (non-random) labels is worse. This refits the labeled sets that stored AL runs
 * ended with (bench/results/ml-al-<set>.json, curves with `chosen`) from scratch through fitClassifier, then each set
 * with the other strategy's chosen (C, α) and with any fixed settings given, and prints test macro-F1 with the labeled
 * sets' class shares.
 *
 *   npx tsx bench/ml/al-labeled-set-refit.ts --dataset sst2 --strategies random,margin+diversity [--labels 500]
 *     [--settings 5/2,1.25/0]   (C/α pairs; α 0 is the dense block alone)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fitClassifier } from "@/ml/fit-classifier";
import { argmaxRow } from "@/ml/linear-model";
import { macroF1FromConfusion } from "@/ml/metrics";
import { modelProbabilities } from "@/ml/model-probabilities";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { trainHybridClassifier } from "@/ml/train-hybrid-classifier";
import type { ClassifierModel } from "@/ml/classifier-model";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { HYBRID_ID, type QueueCurve } from "./simulate-production-queue";
import { benchArg as arg } from "../bench-args";

const name = (arg("dataset") ?? "sst2") as SingleLabelName;
if (!(SINGLE_LABEL as readonly string[]).includes(name))
  throw new Error(`--dataset: one of ${SINGLE_LABEL.join(", ")}`);
const strategies = (arg("strategies") ?? "random,margin+diversity").split(",");
const fixed = (arg("settings") ?? "")
  .split(",")
  .filter(Boolean)
  .map((pair) => {
    const [C, alpha] = pair.split("/").map(Number);
    return { C: C!, alpha: alpha ?? null, from: "fixed" };
  });
const stored = JSON.parse(fs.readFileSync(path.resolve(`bench/results/ml-al-${name}.json`), "utf8")) as {
  curves: Record<string, Record<string, QueueCurve>>;
};

async function main(): Promise<void> {
  const ds = loadSingleLabel(name);
  const f = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
  const d = f.dim;
  const poolX = await f.embed(ds.train.texts);
  const testX = await f.embed(ds.test.texts);
  await f.close();
  const K = ds.classes.length;
  const testF1 = (model: ClassifierModel): number => {
    const n = ds.test.texts.length;
    const P = modelProbabilities(model, { n, dense: testX, texts: ds.test.texts });
    const C = new Int32Array(K * K);
    for (let i = 0; i < n; i++) C[ds.test.y[i]! * K + argmaxRow(P, i, K)]! += 1;
    return macroF1FromConfusion(C, K);
  };
  const subset = (idx: number[]) => {
    const X = new Float32Array(idx.length * d);
    idx.forEach((i, r) => X.set(poolX.subarray(i * d, i * d + d), r * d));
    return { X, y: Int32Array.from(idx, (i) => ds.train.y[i]!), texts: idx.map((i) => ds.train.texts[i]!) };
  };
  const seeds = Object.keys(stored.curves[strategies[0]!] ?? {}).filter((seed) =>
    strategies.every((st) => stored.curves[st]?.[seed]?.chosen),
  );
  if (seeds.length === 0) throw new Error(`no seed has stored labeled sets for ${strategies.join(" and ")}`);
  for (const seed of seeds) {
    const labels = Number(arg("labels") ?? stored.curves[strategies[0]!]![seed]!.chosen!.length);
    const sets = strategies.map((st) => subset(stored.curves[st]![seed]!.chosen!.slice(0, labels)));
    // Fresh search on each set, as a first training on those labels would do.
    const searched = sets.map((s) => {
      const fit = fitClassifier(
        s.X,
        s.y.length,
        d,
        ds.classes,
        { task: "single-label", y: s.y },
        { featurizerId: HYBRID_ID, seed: Number(seed), ngrams: { trainTexts: s.texts, dfTexts: ds.train.texts } },
      );
      const sel = fit.model.metrics.selection as { C: number; blockWeight: number | null };
      return { C: sel.C, alpha: sel.blockWeight, f1: testF1(fit.model) };
    });
    for (let a = 0; a < sets.length; a++) {
      const s = sets[a]!;
      const shares = ds.classes.map((_, k) => (s.y.filter((v) => v === k).length / s.y.length).toFixed(2)).join("/");
      const meanLen = s.texts.reduce((acc, t) => acc + t.length, 0) / s.texts.length;
      const cells = [`searched C ${searched[a]!.C} α ${searched[a]!.alpha}: ${searched[a]!.f1.toFixed(3)}`];
      const others = [...searched.map((o, b) => ({ ...o, from: strategies[b]! })).filter((_, b) => b !== a), ...fixed];
      for (const other of others) {
        const vocabulary = fitNgramVocabulary({ dfTexts: ds.train.texts, featureTexts: s.texts });
        const { model } = trainHybridClassifier(
          { n: s.y.length, dense: s.X, d, sparse: ngramMatrix(vocabulary, s.texts) },
          ds.classes,
          { task: "single-label", y: s.y },
          {
            featurizerId: HYBRID_ID,
            vocabulary,
            seed: Number(seed),
            grid: { C: [other.C] },
            ...(other.alpha !== null ? { blockWeight: other.alpha } : {}),
          },
        );
        cells.push(`${other.from} C ${other.C} α ${other.alpha}: ${testF1(model).toFixed(3)}`);
      }
      console.log(
        `${name} seed ${seed} ${strategies[a]} labels ${labels} (class shares ${shares}, mean length ${meanLen.toFixed(0)}): ${cells.join("; ")} (load ${os.loadavg()[0]!.toFixed(1)})`,
      );
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
