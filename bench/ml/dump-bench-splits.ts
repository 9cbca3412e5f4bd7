/**
 * Writes the exact train/test splits Margin's benchmark uses (bench/ml/datasets.ts: ag_news and sms_spam split 50/50
 * stratified with seed 42 by our own RNG) as JSON Lines, so the scikit-learn reference (bench/ml/reference/tfidf_lr.py)
 * scores the same texts instead of re-implementing the split in Python. `npx tsx bench/ml/dump-bench-splits.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import { loadGoEmotions, loadSingleLabel, SINGLE_LABEL } from "./datasets";

export const SPLITS_DIR = path.resolve(".margin/bench-cache/splits");

function writeJsonl(file: string, rows: object[]): void {
  fs.writeFileSync(`${file}.tmp`, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  fs.renameSync(`${file}.tmp`, file);
}

/** Writes <dir>/<dataset>.{train,test}.jsonl for every benchmark dataset; returns the dataset names. */
export function dumpBenchSplits(dir: string = SPLITS_DIR): string[] {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of SINGLE_LABEL) {
    const d = loadSingleLabel(name);
    for (const part of ["train", "test"] as const) {
      const s = d[part];
      writeJsonl(
        path.join(dir, `${name}.${part}.jsonl`),
        s.texts.map((text, i) => ({ text, label: d.classes[s.y[i]!] })),
      );
    }
  }
  const g = loadGoEmotions();
  const K = g.classes.length;
  for (const part of ["train", "test"] as const) {
    const s = g[part];
    writeJsonl(
      path.join(dir, `goemotions.${part}.jsonl`),
      s.texts.map((text, i) => ({
        text,
        labels: g.classes.filter((_, k) => s.Y[i * K + k] === 1),
      })),
    );
  }
  return [...SINGLE_LABEL, "goemotions"];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = dumpBenchSplits();
  console.log(`wrote ${names.length} datasets to ${path.relative(process.cwd(), SPLITS_DIR)}`);
}
