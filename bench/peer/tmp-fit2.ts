import os from "node:os";
import { buildLogisticObjective } from "@/ml/train-logistic-regression";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { parallelLogisticBlocks } from "@/server/compute/parallel-logistic-blocks";
import { blobs } from "./peer-data";
const shapes = [{ n: 10_000, d: 200, K: 77 }, { n: 100_000, d: 384, K: 10 }];
for (const { n, d, K } of shapes) {
  const { X, y } = blobs(n, d, K, 7, 0.4);
  const classes = Array.from({ length: K }, (_, k) => `c${k}`);
  for (const threads of [1, 2]) {
    let t = performance.now();
    const o = buildLogisticObjective(X, n, d, classes, { task: "single-label", y }, { l2: 1e-3, parallel: threads > 1 ? parallelLogisticBlocks(threads) : undefined });
    const tBuild = performance.now() - t;
    let tfg = 0, tpre = 0, nfg = 0;
    const evals: number[] = [];
    t = performance.now();
    const res = minimizeLbfgs((th, g) => { const s = performance.now(); const f = o.fg(th, g); const e = performance.now() - s; evals.push(e); tfg += e; nfg++; return f; }, o.theta0, {
      maxIter: 1000, gtol: 1e-5,
      precondition: o.precondition && ((v) => { const s = performance.now(); o.precondition!(v); tpre += performance.now() - s; }),
    });
    const tOpt = performance.now() - t;
    o.close();
    console.log(`${n}x${d}x${K} threads ${threads}: build ${tBuild.toFixed(0)} opt ${tOpt.toFixed(0)} (fg ${tfg.toFixed(0)} over ${nfg}, precond ${tpre.toFixed(0)}) ${res.iterations} it; evals ${evals.map((e) => e.toFixed(0)).join(" ")}; load ${os.loadavg()[0]!.toFixed(1)}`);
  }
}
