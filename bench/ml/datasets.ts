import fs from "node:fs";
import path from "node:path";
import { createRng, shuffleInPlace } from "@/ml/rng";

export const DATASET_DIR = process.env.MARGIN_DATASETS ?? "/work/shared/datasets";

export interface Split {
  texts: string[];
  y: Int32Array;
}
export interface SingleLabelDataset {
  name: string;
  task: "single-label";
  classes: string[];
  train: Split;
  test: Split;
}
export interface MultiLabelDataset {
  name: string;
  task: "multi-label";
  classes: string[];
  train: { texts: string[]; Y: Uint8Array };
  test: { texts: string[]; Y: Uint8Array };
}

function readJsonl(file: string): { text: string; label?: string; labels?: string[] }[] {
  return fs
    .readFileSync(path.join(DATASET_DIR, file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label?: string; labels?: string[] });
}

function toSplit(rows: { text: string; label?: string }[], classes: string[]): Split {
  return { texts: rows.map((r) => r.text), y: Int32Array.from(rows.map((r) => classes.indexOf(r.label!))) };
}

/** Seeded stratified split (fraction to train). */
function stratifiedSplit<T extends { label?: string }>(
  rows: T[],
  trainFraction: number,
  seed: number,
): { train: T[]; test: T[] } {
  const rng = createRng(seed);
  const by = new Map<string, T[]>();
  for (const r of rows) {
    const l = by.get(r.label!) ?? [];
    l.push(r);
    by.set(r.label!, l);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const key of [...by.keys()].sort()) {
    const list = by.get(key)!;
    shuffleInPlace(list, rng);
    const cut = Math.round(list.length * trainFraction);
    train.push(...list.slice(0, cut));
    test.push(...list.slice(cut));
  }
  return { train, test };
}

export const SINGLE_LABEL = ["ag_news", "trec", "sst2", "banking77", "sms_spam", "emotion"] as const;
export type SingleLabelName = (typeof SINGLE_LABEL)[number];

/** Loads a dataset with its train/test split; ag_news and sms_spam are split 50/50 stratified with seed 42. */
export function loadSingleLabel(name: SingleLabelName): SingleLabelDataset {
  let trainRows: { text: string; label?: string }[];
  let testRows: { text: string; label?: string }[];
  if (name === "ag_news" || name === "sms_spam") {
    const s = stratifiedSplit(readJsonl(name === "ag_news" ? "ag_news/test.jsonl" : "sms_spam/all.jsonl"), 0.5, 42);
    trainRows = s.train;
    testRows = s.test;
  } else {
    trainRows = readJsonl(`${name}/train.jsonl`);
    testRows = readJsonl(`${name}/test.jsonl`);
  }
  const classes = [...new Set(trainRows.map((r) => r.label!))].sort();
  return { name, task: "single-label", classes, train: toSplit(trainRows, classes), test: toSplit(testRows, classes) };
}

export function loadGoEmotions(): MultiLabelDataset {
  const tr = readJsonl("goemotions/train.jsonl");
  const te = readJsonl("goemotions/test.jsonl");
  const classes = [...new Set(tr.flatMap((r) => r.labels!))].sort();
  const K = classes.length;
  const enc = (rows: typeof tr): { texts: string[]; Y: Uint8Array } => {
    const Y = new Uint8Array(rows.length * K);
    rows.forEach((r, i) => {
      for (const l of r.labels!) Y[i * K + classes.indexOf(l)] = 1;
    });
    return { texts: rows.map((r) => r.text), Y };
  };
  return { name: "goemotions", task: "multi-label", classes, train: enc(tr), test: enc(te) };
}
