/**
 * How far the final fit must go: test macro-F1 of the hybrid model along one L-BFGS run (vectors in WebAssembly, then TypeScript), at the
 * setting the selection chose on each shared single-label set, with the time spent in the objective and in the
 * optimizer's own vector work. Evidence for the final fit's stopping rule. Not in CI:
 *   npx tsx bench/ml/fit-budget.ts [dataset ...]
 */
import path from "node:path";
import { computeLogitsRows } from "@/ml/classifier-model";
import { buildHybridObjective } from "@/ml/hybrid-logistic-objective";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";

// The setting trainHybridClassifier chose on each set (bench/results/ml.md).
const CHOSEN: Record<string, { C: number; alpha: number }> = {
  sms_spam: { C: 20, alpha: 2 },
  trec: { C: 1.25, alpha: 4 },
  sst2: { C: 1.25, alpha: 2 },
  ag_news: { C: 1.25, alpha: 2 },
  banking77: { C: 20, alpha: 2 },
  emotion: { C: 1.25, alpha: 8 },
};
const CHECKPOINTS = [10, 20, 30, 40, 50, 60, 80, 100, 150, 200];
const names = process.argv.slice(2).filter((a) => SINGLE_LABEL.includes(a as SingleLabelName)) as SingleLabelName[];
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });

for (const name of names.length ? names : SINGLE_LABEL) {
  const ds = loadSingleLabel(name);
  const { train, test } = await hybridRows(ds, featurizer);
  const { C, alpha } = CHOSEN[name]!;
  const K = ds.classes.length;
  for (const [memory, vectors] of [
    [10, "wasm"],
    [10, "typescript"],
  ] as const) {
    const obj = buildHybridObjective(
      train,
      ds.classes,
      { task: "single-label", y: ds.train.y },
      { l2: 1 / (C * train.n), blockWeight: alpha, standardizePriorRows: 10 },
    );
    let objMs = 0;
    const fg = (x: Float64Array, g: Float64Array): number => {
      const t = performance.now();
      const f = obj.fg(x, g);
      objMs += performance.now() - t;
      return f;
    };
    const marks: string[] = [];
    let evalMs = 0;
    const t0 = performance.now();
    const res = minimizeLbfgs(fg, obj.theta0, {
      maxIter: 200,
      gtol: 1e-5,
      ftol: 1e-7,
      memory,
      vectors,
      precondition: obj.precondition,
      onIteration: (it, x, f) => {
        if (!CHECKPOINTS.includes(it)) return;
        const te = performance.now();
        const fit = obj.finalize(x);
        const z = computeLogitsRows(
          {
            ...fit.dense,
            sparse: fit.sparseWeights ? { weights: fit.sparseWeights, blockWeight: fit.blockWeight } : undefined,
          },
          test,
        );
        const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(z, i, K));
        const f1 = evaluateSingleLabel(ds.test.y, pred, ds.classes).macro.f1 * 100;
        evalMs += performance.now() - te;
        marks.push(
          `${it}:${f1.toFixed(2)}(${((performance.now() - t0 - evalMs) / 1000).toFixed(0)}s,f ${f.toFixed(5)})`,
        );
      },
    });
    const total = performance.now() - t0 - evalMs;
    console.log(
      `${name} m=${memory} ${vectors} n=${train.n} P=${obj.theta0.length}: ${res.iterations} it ${res.evaluations} ev ${res.reason}; total ${(total / 1000).toFixed(1)} s, objective ${(objMs / 1000).toFixed(1)} s, optimizer ${((total - objMs) / 1000).toFixed(1)} s`,
    );
    console.log(`  ${marks.join(" ")}`);
  }
}
process.exit(0);
