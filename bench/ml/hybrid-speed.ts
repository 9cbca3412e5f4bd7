/**
 * Training time of trainHybridClassifier (model selection, out-of-fold calibration, final fit) on a 15,000-text,
 * 151-class single-label set built from Banking77's train texts: every text once plus repeats with one word dropped;
 * 74 extra classes are the first 74 intents' texts with a politeness suffix. Not in CI:
 *   npx tsx bench/ml/hybrid-speed.ts [rows] [--sparse-only]
 */
import path from "node:path";
import { classifierToJSON } from "@/ml/classifier-artifact";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { createRng } from "@/ml/rng";
import { trainHybridClassifier } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { loadSingleLabel } from "./datasets";

const N = Number(process.argv[2] ?? 15000);
const sparseOnly = process.argv.includes("--sparse-only");
const ds = loadSingleLabel("banking77");
const rng = createRng(151);
const SUFFIX = ["thanks", "please", "asap", "thank you so much", "help me out"];
const texts: string[] = [];
const y = new Int32Array(N);
for (let i = 0; i < N; i++) {
  const j = i % ds.train.texts.length;
  let words = ds.train.texts[j]!.split(" ");
  if (i >= ds.train.texts.length && words.length > 2) words = words.filter((_, w) => w !== rng.int(words.length));
  let c = ds.train.y[j]!;
  if (c < 74 && rng.next() < 0.5) { c += 77; words.push(SUFFIX[rng.int(SUFFIX.length)]!); }
  texts.push(words.join(" "));
  y[i] = c;
}
const classes = Array.from({ length: 151 }, (_, k) => (k < 77 ? ds.classes[k]! : `${ds.classes[k - 77]!} (polite)`));
const t0 = performance.now();
const vocab = fitNgramVocabulary({ dfTexts: texts });
const sparse = ngramMatrix(vocab, texts);
const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
const dense = sparseOnly ? null : await featurizer.embed(texts);
console.log(`${N} texts, 151 classes: features ${((performance.now() - t0) / 1000).toFixed(1)} s, V = ${vocab.size}, nnz/row ${(sparse.indices.length / N).toFixed(0)}`);
const t1 = performance.now();
const { model } = trainHybridClassifier({ n: N, dense, d: dense ? featurizer.dim : 0, sparse }, classes, { task: "single-label", y }, {
  featurizerId: "bench", vocabulary: vocab, onProgress: (a, b) => console.log(`  fit ${a}/${b} at ${((performance.now() - t1) / 1000).toFixed(1)} s`),
});
console.log(`train ${((performance.now() - t1) / 1000).toFixed(1)} s; selection ${JSON.stringify(model.metrics.selection)}; final ${JSON.stringify(model.metrics.optimizer)}`);
console.log(`artifact ${(JSON.stringify(classifierToJSON(model)).length / 1e6).toFixed(2)} MB`);
process.exit(0);
