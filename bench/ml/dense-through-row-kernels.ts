/**
 * Would the dense trainer gain from the hybrid's WebAssembly row kernels? The same L2 logistic regression on
 * Banking77's glove-sif-200 vectors through trainLogisticRegression (TypeScript class blocks on 2 threads) and through
 * buildHybridObjective with no sparse block (f32 SIMD row kernels on 2 threads), with matching objectives: the hybrid
 * scales the standardized features by 1/√d, so λ_hybrid = λ / d, and no variance shrinkage. First run (load 4): 55 s vs
 * 15 s, f 0.495327 vs 0.495322, test accuracy 86.33 vs 86.36. Not adopted as the dense trainer yet: the float32 logits
 * cannot resolve the float64 path's gradient tolerance (gtol/√d on θ'), so a warm retrain spent its evaluations in
 * failing line searches (100k × 384 × 10 after 50 labels: 36 s against 9 s), and at gtol on θ' the fit stops ~7e-5
 * (relative) above the optimum. Not in CI:
 *   npx tsx bench/ml/dense-through-row-kernels.ts
 */
import os from "node:os";
import path from "node:path";
import { buildHybridObjective } from "@/ml/hybrid-logistic-objective";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { predictProba, argmaxRow } from "@/ml/linear-model";
import { trainLogisticRegression } from "@/ml/train-logistic-regression";
import { parallelLogisticBlocks } from "@/server/compute/parallel-logistic-blocks";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel } from "./datasets";

const ds = loadSingleLabel("banking77");
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
const X = await featurizer.embed(ds.train.texts);
const Xt = await featurizer.embed(ds.test.texts);
const n = ds.train.texts.length;
const d = featurizer.dim;
const K = ds.classes.length;
const lambda = 0.001;
const targets = { task: "single-label" as const, y: ds.train.y };
const accuracy = (P: Float32Array): number => {
  let c = 0;
  for (let i = 0; i < ds.test.y.length; i++) c += argmaxRow(P, i, K) === ds.test.y[i] ? 1 : 0;
  return (100 * c) / ds.test.y.length;
};
for (let round = 0; round < 2; round++) {
  let t = performance.now();
  const dense = trainLogisticRegression(X, n, d, ds.classes, targets, {
    l2: lambda,
    gtol: 1e-5,
    parallel: parallelLogisticBlocks(2),
  });
  const denseS = (performance.now() - t) / 1000;
  t = performance.now();
  const obj = buildHybridObjective({ n, dense: X, d, sparse: null }, ds.classes, targets, {
    l2: lambda / d,
    standardizePriorRows: 0,
  });
  const res = minimizeLbfgs(obj.fg, obj.theta0, {
    maxIter: 300,
    gtol: 1e-5 / Math.sqrt(d),
    ...obj.lbfgsPreconditioner,
  });
  const fit = obj.finalize(res.x);
  obj.dispose();
  const kernelS = (performance.now() - t) / 1000;
  // Both objectives evaluated by the dense trainer's own (float64) objective at each solution.
  console.log(
    `round ${round}: dense trainer ${denseS.toFixed(1)} s (${dense.optimizer.iterations} it, f ${dense.optimizer.f.toFixed(9)}, test acc ${accuracy(predictProba(dense.model, Xt, ds.test.y.length)).toFixed(2)}); ` +
      `row kernels ${kernelS.toFixed(1)} s (${res.iterations} it, f ${res.f.toFixed(9)}, test acc ${accuracy(predictProba(fit.dense, Xt, ds.test.y.length)).toFixed(2)}); load ${os.loadavg()[0]!.toFixed(1)}`,
  );
}
await featurizer.close();
process.exit(0);
