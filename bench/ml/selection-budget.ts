/**
 * How many iterations the grid's fits need: trainHybridClassifier on the full train split of each shared
 * single-label set with the selection fits capped at 60 and at fewer iterations — the setting chosen, test
 * macro-F1 and training time of each, in one run; `--memory 10,5` compares the capped fits' L-BFGS history instead,
 * `--final-memory 10,5` the final fit's. Evidence for the selection's default cap and the histories. Not in CI:
 *   npx tsx bench/ml/selection-budget.ts [dataset ...] [--caps 60,30] [--memory 10,5] [--final-memory 10,5]
 */
import os from "node:os";
import path from "node:path";
import { predictProbaRows } from "@/ml/classifier-model";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { trainHybridClassifier, type SelectionRecord } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";

const args = process.argv.slice(2);
const capsAt = args.indexOf("--caps");
const memoryAt = args.indexOf("--memory");
const finalAt = args.indexOf("--final-memory");
const variants: { cap?: number; memory?: number; finalMemory?: number }[] =
  finalAt >= 0
    ? args[finalAt + 1]!.split(",").map((m) => ({ finalMemory: Number(m) }))
    : memoryAt >= 0
      ? args[memoryAt + 1]!.split(",").map((m) => ({ memory: Number(m) }))
      : (capsAt >= 0 ? args[capsAt + 1]!.split(",").map(Number) : [60, 30]).map((cap) => ({ cap }));
const names = args.filter((a) => SINGLE_LABEL.includes(a as SingleLabelName)) as SingleLabelName[];
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });

for (const name of names.length ? names : SINGLE_LABEL) {
  const ds = loadSingleLabel(name);
  const { vocab, train, test } = await hybridRows(ds, featurizer);
  const K = ds.classes.length;
  for (const { cap, memory, finalMemory } of variants) {
    const t = performance.now();
    const { model } = trainHybridClassifier(
      train,
      ds.classes,
      { task: "single-label", y: ds.train.y },
      {
        featurizerId: "bench",
        vocabulary: vocab,
        selectionMaxIter: cap,
        selectionMemory: memory,
        finalMemory,
      },
    );
    const seconds = (performance.now() - t) / 1000;
    const P = predictProbaRows(model, test);
    const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(P, i, K));
    const f1 = evaluateSingleLabel(ds.test.y, pred, ds.classes).macro.f1 * 100;
    const s = model.metrics.selection as SelectionRecord;
    const grid = s.grid.map((g) => `C${g.C}/α${g.blockWeight}:${g.logLoss.toFixed(4)}`).join(" ");
    const opt = model.metrics.optimizer as { iterations: number; reason: string; loss: number };
    const variant =
      cap !== undefined ? `cap ${cap}` : memory !== undefined ? `memory ${memory}` : `final memory ${finalMemory}`;
    console.log(
      `${name} ${variant}: final fit ${opt.iterations} it (${opt.reason}), loss ${opt.loss.toFixed(6)}; macro-F1 ${f1.toFixed(2)}, ${seconds.toFixed(1)} s, chose C ${s.C} α ${s.blockWeight} (${s.mode}); T ${model.temperature.toFixed(3)}; load ${os.loadavg()[0]!.toFixed(1)}; grid ${grid}`,
    );
  }
}
process.exit(0);
