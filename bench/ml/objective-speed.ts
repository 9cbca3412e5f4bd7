/**
 * Cost of one loss + gradient evaluation of the hybrid objective on the 15,000 × 151 speed set (see hybrid-speed.ts).
 *   npx tsx bench/ml/objective-speed.ts [rows]
 */
import path from "node:path";
import { buildHybridObjective } from "@/ml/hybrid-logistic-objective";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { createRng } from "@/ml/rng";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel } from "./datasets";

const N = Number(process.argv[2] ?? 6000);
const ds = loadSingleLabel("banking77");
const rng = createRng(151);
const texts: string[] = [];
const y = new Int32Array(N);
for (let i = 0; i < N; i++) {
  const j = i % ds.train.texts.length;
  texts.push(ds.train.texts[j]! + (i >= ds.train.texts.length ? ` ${rng.int(1000)}` : ""));
  y[i] = ds.train.y[j]! + (rng.next() < 0.5 && ds.train.y[j]! < 74 ? 77 : 0);
}
const classes = Array.from({ length: 151 }, (_, k) => `c${k}`);
const vocab = fitNgramVocabulary({ dfTexts: texts });
const sparse = ngramMatrix(vocab, texts);
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
const dense = await featurizer.embed(texts);
for (const [label, rows] of [
  ["dense+sparse", { n: N, dense, d: featurizer.dim, sparse }],
  ["sparse only", { n: N, dense: null, d: 0, sparse }],
  ["dense only", { n: N, dense, d: featurizer.dim, sparse: null }],
] as const) {
  const variants = [
    ["typescript", { kernel: "typescript" }],
    ["wasm, 1 thread", { kernel: "wasm", split: "never" }],
    ["wasm, 2 threads", { kernel: "wasm", split: "always" }],
  ] as const;
  const objs = variants.map(([, v]) =>
    buildHybridObjective(rows, classes, { task: "single-label", y }, { l2: 1 / (20 * N), ...v }),
  );
  const theta = Float64Array.from(objs[0]!.theta0, () => (rng.next() - 0.5) * 0.1);
  const grad = new Float64Array(theta.length);
  // Interleaved, best of 3 each: the machine is shared, the minimum is the least disturbed run. Each objective is
  // evaluated right after the previous one, so the two-thread one re-takes the helper thread only once per round.
  const best = variants.map(() => Infinity);
  for (const o of objs) o.fg(theta, grad);
  for (let r = 0; r < 3; r++) {
    objs.forEach((o, i) => {
      const t0 = performance.now();
      o.fg(theta, grad);
      best[i] = Math.min(best[i]!, performance.now() - t0);
    });
  }
  console.log(
    `${label}: ${N} rows, nnz/row ${(sparse.indices.length / N).toFixed(0)}, params ${theta.length}: ${variants.map(([name], i) => `${name} ${best[i]!.toFixed(0)} ms`).join(", ")} per evaluation (wasm ×${(best[0]! / best[1]!).toFixed(1)}, 2 threads ×${(best[1]! / best[2]!).toFixed(2)} more)`,
  );
}
process.exit(0);
