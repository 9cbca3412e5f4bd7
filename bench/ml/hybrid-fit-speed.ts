/**
 * One hybrid fit on the speed set (bench/ml/hybrid-training-speed.ts): wall time per iteration, split into the
 * objective and the optimizer's own vector work, for each L-BFGS variant in one process, interleaved. Not in CI:
 *   npx tsx bench/ml/hybrid-fit-speed.ts --rows 15000 --iters 20 --memory 10 --rounds 2
 */
import os from "node:os";
import path from "node:path";
import type { FeatureRows } from "@/ml/feature-rows";
import { buildHybridObjective } from "@/ml/hybrid-logistic-objective";
import { minimizeLbfgs, type LbfgsOptions, type LbfgsResult, type ObjectiveFn } from "@/ml/lbfgs";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { benchArg as arg } from "../bench-args";
import { mainThreadCpuMs, speedSetTexts } from "./hybrid-training-speed";

type Minimizer = (fg: ObjectiveFn, x0: Float64Array, o: LbfgsOptions) => LbfgsResult;
const variants: Record<string, Minimizer> = { current: minimizeLbfgs };
const extra = arg("compare");
if (extra) {
  // A module exporting minimizeLbfgs (e.g. a copy of an earlier lbfgs.ts), to compare in the same process.
  const mod = (await import(path.resolve(extra))) as { minimizeLbfgs: Minimizer };
  variants.compare = mod.minimizeLbfgs;
}

const rows = Number(arg("rows", "15000"));
const iters = Number(arg("iters", "20"));
const memory = Number(arg("memory", "10"));
const rounds = Number(arg("rounds", "2"));
const C = Number(arg("C", "1.25"));
const alpha = Number(arg("alpha", "2"));
const load = (): string =>
  os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ");

const { texts, y, classes } = speedSetTexts(rows);
const vocab = fitNgramVocabulary({ dfTexts: texts });
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
const train: FeatureRows = {
  n: rows,
  dense: await featurizer.embed(texts),
  d: featurizer.dim,
  sparse: ngramMatrix(vocab, texts),
};
await featurizer.close();

for (let round = 0; round < rounds; round++) {
  for (const [name, minimize] of Object.entries(variants)) {
    const obj = buildHybridObjective(
      train,
      classes,
      { task: "single-label", y },
      { l2: 1 / (C * rows), blockWeight: alpha, standardizePriorRows: 10 },
    );
    let objMs = 0;
    let objCpu = 0;
    let objMain = 0;
    const fg: ObjectiveFn = (x, g) => {
      const t = performance.now();
      const c = process.cpuUsage();
      const m = mainThreadCpuMs();
      const f = obj.fg(x, g);
      objMs += performance.now() - t;
      const u = process.cpuUsage(c);
      objCpu += (u.user + u.system) / 1000;
      objMain += mainThreadCpuMs() - m;
      return f;
    };
    const before = load();
    const c0 = process.cpuUsage();
    const m0 = mainThreadCpuMs();
    const t0 = performance.now();
    const res = minimize(fg, obj.theta0, { maxIter: iters, gtol: 1e-5, ftol: 0, memory, ...obj.lbfgsPreconditioner });
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const main = mainThreadCpuMs() - m0;
    obj.dispose();
    const it = res.iterations;
    console.log(
      `${name.padEnd(8)} n ${rows} p ${obj.theta0.length} m ${memory}: ${it} it ${res.evaluations} ev, f ${res.f.toPrecision(12)}; per iteration wall ${(total / it).toFixed(0)} ms (objective ${(objMs / it).toFixed(0)}, optimizer ${((total - objMs) / it).toFixed(0)}); process CPU per iteration ${((cpu.user + cpu.system) / 1000 / it).toFixed(0)} ms (optimizer ${((cpu.user + cpu.system) / 1000 / it - objCpu / it).toFixed(0)}); main thread CPU per iteration ${(main / it).toFixed(0)} ms (optimizer ${((main - objMain) / it).toFixed(0)}); load ${before} → ${load()}`,
    );
  }
}
process.exit(0);
