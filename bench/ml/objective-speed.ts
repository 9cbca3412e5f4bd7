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
for (const [label, rows] of [["dense+sparse", { n: N, dense, d: featurizer.dim, sparse }], ["sparse only", { n: N, dense: null, d: 0, sparse }], ["dense only", { n: N, dense, d: featurizer.dim, sparse: null }]] as const) {
  const obj = buildHybridObjective(rows, classes, { task: "single-label", y }, { l2: 1 / (20 * N) });
  const theta = Float64Array.from(obj.theta0, () => (rng.next() - 0.5) * 0.1);
  const grad = new Float64Array(theta.length);
  obj.fg(theta, grad);
  const reps = 3;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) obj.fg(theta, grad);
  const ms = (performance.now() - t0) / reps;
  console.log(`${label}: ${N} rows, nnz/row ${(sparse.indices.length / N).toFixed(0)}, params ${theta.length}: ${ms.toFixed(0)} ms per evaluation`);
}
process.exit(0);
