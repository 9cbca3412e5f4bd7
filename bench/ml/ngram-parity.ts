/**
 * Featurizer parity: Margin's n-gram TF-IDF (src/ml/ngram-vocabulary.ts) versus scikit-learn's, with the trainer held
 * fixed. Each single-label dataset is featurized by Margin, the CSR matrices are written to
 * .margin/bench-cache/ngram-parity/, and bench/ml/reference/tfidf_lr.py --parity fits sklearn's
 * LogisticRegression(C=10) on them; the macro-F1 is compared with sklearn's own TF-IDF pipeline
 * (bench/results/reference-tfidf-lr.json). Two vocabularies per dataset:
 *   df-train: df, idf and min_df from the training texts only — what sklearn's pipeline does;
 *   df-pool:  df from train + test texts, columns restricted to keys seen in training — what Margin does with a
 *             project's pool.
 * Also reports featurize throughput (one thread), vocabulary sizes and non-zeros per row.
 * `npx tsx bench/ml/ngram-parity.ts [--datasets a,b] [--no-python]`; writes bench/results/ngram-parity.json.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { keyBlock, WORD_BLOCK } from "@/ml/ngram-hashing";
import { fitNgramVocabulary, ngramMatrix, type NgramVocabulary } from "@/ml/ngram-vocabulary";
import type { CsrMatrix } from "@/ml/sparse-matrix";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { dumpBenchSplits, SPLITS_DIR } from "./dump-bench-splits";
import { loadReferenceResults } from "./reference-results";

const MATRIX_DIR = path.resolve(".margin/bench-cache/ngram-parity");
const OUT = path.resolve("bench/results/ngram-parity.json");
const PYTHON = "/usr/bin/python3";
const VARIANTS = ["df-train", "df-pool"] as const;
type Variant = (typeof VARIANTS)[number];

const args = process.argv.slice(2);
const datasetsArg = args.includes("--datasets") ? args[args.indexOf("--datasets") + 1] : undefined;
const names = (datasetsArg?.split(",") ?? [...SINGLE_LABEL]) as SingleLabelName[];
const runPython = !args.includes("--no-python");

function writeCsr(prefix: string, X: CsrMatrix): void {
  const raw = (a: Int32Array | Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.writeFileSync(`${prefix}.indptr.i32`, raw(X.indptr));
  fs.writeFileSync(`${prefix}.indices.i32`, raw(X.indices));
  fs.writeFileSync(`${prefix}.values.f32`, raw(X.values));
  fs.writeFileSync(`${prefix}.json`, JSON.stringify({ rows: X.rows, cols: X.cols, nnz: X.indices.length }));
}

function blockSizes(v: NgramVocabulary): { word: number; char: number } {
  let word = 0;
  for (let j = 0; j < v.size; j++) if (keyBlock(v.keys[j]!) === WORD_BLOCK) word++;
  return { word, char: v.size - word };
}

interface VariantStats {
  vocab: { word: number; char: number; total: number };
  nnzPerRow: number;
  fitSeconds: number;
  transformTextsPerSecond: number;
  accuracy?: number;
  macroF1?: number;
}

const results: Record<string, Record<Variant, VariantStats>> = {};
fs.mkdirSync(MATRIX_DIR, { recursive: true });
dumpBenchSplits(SPLITS_DIR);
for (const name of names) {
  const d = loadSingleLabel(name);
  const pool = [...d.train.texts, ...d.test.texts];
  const perVariant = {} as Record<Variant, VariantStats>;
  for (const variant of VARIANTS) {
    const t0 = performance.now();
    const vocab = fitNgramVocabulary({
      dfTexts: variant === "df-pool" ? pool : d.train.texts,
      featureTexts: d.train.texts,
    });
    const fitSeconds = (performance.now() - t0) / 1000;
    ngramMatrix(vocab, pool.slice(0, 200)); // warm-up: JIT and the key index
    // Best of three passes: the machine is shared, and the best pass is the one least disturbed by other work.
    let best = Infinity;
    let Xtr = ngramMatrix(vocab, d.train.texts);
    let Xte = ngramMatrix(vocab, d.test.texts);
    for (let pass = 0; pass < 3; pass++) {
      const t1 = performance.now();
      Xtr = ngramMatrix(vocab, d.train.texts);
      Xte = ngramMatrix(vocab, d.test.texts);
      best = Math.min(best, performance.now() - t1);
    }
    const rate = pool.length / (best / 1000);
    writeCsr(path.join(MATRIX_DIR, `${name}.${variant}.train`), Xtr);
    writeCsr(path.join(MATRIX_DIR, `${name}.${variant}.test`), Xte);
    const sizes = blockSizes(vocab);
    perVariant[variant] = {
      vocab: { ...sizes, total: vocab.size },
      nnzPerRow: Math.round((10 * (Xtr.indices.length + Xte.indices.length)) / pool.length) / 10,
      fitSeconds: Math.round(fitSeconds * 100) / 100,
      transformTextsPerSecond: Math.round(rate),
    };
    console.log(
      `${name} ${variant}: vocab ${vocab.size} (word ${sizes.word}, char ${sizes.char}), ${perVariant[variant].nnzPerRow} nnz/row, fit ${fitSeconds.toFixed(2)} s, transform ${Math.round(rate).toLocaleString("en")} texts/s`,
    );
  }
  results[name] = perVariant;
}

if (runPython) {
  const tmp = path.join(MATRIX_DIR, "sklearn-lr-on-margin-features.json");
  execFileSync(
    PYTHON,
    [
      "bench/ml/reference/tfidf_lr.py",
      "--parity",
      MATRIX_DIR,
      "--splits",
      SPLITS_DIR,
      "--datasets",
      names.join(","),
      "--out",
      tmp,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  const fitted = JSON.parse(fs.readFileSync(tmp, "utf8")) as {
    datasets: Record<string, Record<Variant, { accuracy: number; macroF1: number }>>;
  };
  for (const name of names) for (const v of VARIANTS) Object.assign(results[name]![v], fitted.datasets[name]![v]);
}

const ref = loadReferenceResults();
const pct = (x: number | undefined): string => (x === undefined ? "—" : (100 * x).toFixed(1));
const delta = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined ? "—" : `${a >= b ? "+" : ""}${(100 * (a - b)).toFixed(1)}`;
const lines = [
  "| dataset | sklearn TF-IDF + LR macro-F1 | Margin features + sklearn LR, df = train (Δ) | df = pool (Δ) | sklearn features (word / char) | Margin columns, df = train (word / char) | df = pool | nnz/row (sklearn / Margin) | Margin featurize, texts/s |",
  "|---|---|---|---|---|---|---|---|---|",
];
for (const name of names) {
  const r = ref.datasets[name];
  const m = results[name]!;
  const t = m["df-train"];
  const p = m["df-pool"];
  lines.push(
    `| ${name} | ${pct(r?.macroF1)} | ${pct(t.macroF1)} (${delta(t.macroF1, r?.macroF1)}) | ${pct(p.macroF1)} (${delta(p.macroF1, r?.macroF1)}) | ` +
      `${r ? `${r.features.word} / ${r.features.char}` : "—"} | ${t.vocab.word} / ${t.vocab.char} | ${p.vocab.total} | ${r?.nnzPerTrainRow ?? "—"} / ${p.nnzPerRow} | ` +
      `${p.transformTextsPerSecond.toLocaleString("en")} |`,
  );
}
console.log(`\n${lines.join("\n")}`);
fs.writeFileSync(
  OUT,
  `${JSON.stringify(
    {
      generatedBy: "bench/ml/ngram-parity.ts",
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, one thread; shared machine, times noisy`,
      note: "macroF1/accuracy: sklearn LogisticRegression(C=10, max_iter=2000) fit on Margin's CSR rows × √2 (sklearn's block norms)",
      datasets: results,
    },
    null,
    2,
  )}\n`,
);
console.log(`→ ${path.relative(process.cwd(), OUT)}`);
