/**
 * How far the final fit must go once it starts from a cross-validation fold's fit (as trainHybridClassifier runs it):
 * along the final fit of the default learner on each shared single-label set, test macro-F1, the share of test
 * predictions already equal to the finished fit's, the largest change of a test probability still to come, and the
 * relative loss decrease over the last 10 iterations. Evidence for the final fit's stopping rule. Not in CI:
 *   npx tsx bench/ml/final-fit-budget.ts [dataset ...]
 */
import os from "node:os";
import path from "node:path";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { softmaxRowsInPlace } from "@/ml/softmax";
import { trainHybridClassifier } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";

const CHECKPOINTS = [5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100];
const names = process.argv.slice(2).filter((a) => SINGLE_LABEL.includes(a as SingleLabelName)) as SingleLabelName[];
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });

for (const name of names.length ? names : SINGLE_LABEL) {
  const ds = loadSingleLabel(name);
  const { vocab, train, test } = await hybridRows(ds, featurizer);
  const K = ds.classes.length;
  const marks: { it: number; f: number; proba: Float32Array; f1: number }[] = [];
  const fs: number[] = [];
  const t0 = performance.now();
  const { model } = trainHybridClassifier(
    train,
    ds.classes,
    { task: "single-label", y: ds.train.y },
    {
      featurizerId: "bench",
      vocabulary: vocab,
      onFinalIteration: (it, f, logits) => {
        fs[it] = f;
        if (!CHECKPOINTS.includes(it)) return;
        const proba = logits(test);
        softmaxRowsInPlace(proba, test.n, K);
        const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(proba, i, K));
        marks.push({ it, f, proba, f1: evaluateSingleLabel(ds.test.y, pred, ds.classes).macro.f1 * 100 });
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const opt = model.metrics.optimizer as { iterations: number; reason: string };
  const last = marks[marks.length - 1]!;
  const finalPred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(last.proba, i, K));
  const cells = marks.map((m) => {
    let same = 0;
    let maxDelta = 0;
    for (let i = 0; i < test.n; i++) {
      if (argmaxRow(m.proba, i, K) === finalPred[i]) same++;
      for (let k = 0; k < K; k++) maxDelta = Math.max(maxDelta, Math.abs(m.proba[i * K + k]! - last.proba[i * K + k]!));
    }
    const back = fs[m.it - 10];
    const decrease = back === undefined ? NaN : (back - m.f) / Math.abs(back);
    return `${m.it}: F1 ${m.f1.toFixed(2)}, same ${((100 * same) / test.n).toFixed(1)}%, max Δp ${maxDelta.toFixed(3)}, Δf/10 it ${decrease.toExponential(1)}`;
  });
  const s = model.metrics.selection as { C: number; blockWeight: number | null; mode: string };
  console.log(
    `${name} (n ${train.n}, C ${s.C}, α ${s.blockWeight}, ${s.mode}): final fit ${opt.iterations} iterations (${opt.reason}), training ${seconds.toFixed(0)} s, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  for (const c of cells) console.log(`  ${c}`);
}
process.exit(0);
