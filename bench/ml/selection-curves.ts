/**
 * Model selection with few labels: test macro-F1 of trainHybridClassifier's selection variants at random label
 * counts (the same seeded samples as section 2's curves), the hybrid and the dense block alone, paired per seed.
 * Writes one JSON line per training to --out; --summary prints means and paired differences ± standard error.
 *   npx tsx bench/ml/selection-curves.ts --datasets trec,sst2 --sizes 50,100,200,500 --seeds 10 --out /tmp/x.jsonl
 *   npx tsx bench/ml/selection-curves.ts --summary /tmp/x.jsonl
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { predictProbaRows } from "@/ml/classifier-model";
import { featureRowsSubset, type FeatureRows } from "@/ml/feature-rows";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { createRng, shuffleInPlace } from "@/ml/rng";
import { trainHybridClassifier, type SelectionRecord, type TrainHybridOptions } from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { benchArg as arg } from "../bench-args";

// base: the single one-standard-error pick (before averaging); avg1se: the average within one SE (the default).
const VARIANTS: Record<string, Partial<TrainHybridOptions>> = {
  base: { averageWithinOneSe: false },
  avg1se: { averageWithinOneSe: true },
};

interface Line {
  set: string;
  m: number;
  seed: number;
  variant: string;
  block: "hybrid" | "dense";
  f1: number;
  seconds: number;
  C: number;
  alpha: number | null;
  load: number;
}

function summary(file: string): void {
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const key = (l: Line): string => `${l.set}|${l.m}|${l.block}|${l.variant}`;
  const by = new Map<string, Map<number, Line>>();
  for (const l of lines) {
    const m = by.get(key(l)) ?? new Map<number, Line>();
    m.set(l.seed, l);
    by.set(key(l), m);
  }
  const sets = [...new Set(lines.map((l) => l.set))];
  const sizes = [...new Set(lines.map((l) => l.m))].sort((a, b) => a - b);
  const variants = [...new Set(lines.filter((l) => l.block === "hybrid").map((l) => l.variant))];
  const paired = (a: Map<number, Line> | undefined, b: Map<number, Line> | undefined): string => {
    if (!a || !b) return "—";
    const d = [...a.keys()].filter((s) => b.has(s)).map((s) => a.get(s)!.f1 - b.get(s)!.f1);
    if (d.length < 2) return "—";
    const mean = d.reduce((x, y) => x + y, 0) / d.length;
    const se = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1) / d.length);
    return `${mean >= 0 ? "+" : ""}${mean.toFixed(2)} ± ${se.toFixed(2)}`;
  };
  const mean = (a: Map<number, Line> | undefined, f: (l: Line) => number): string =>
    a ? ([...a.values()].reduce((x, l) => x + f(l), 0) / a.size).toFixed(2) : "—";
  console.log(
    `| set | labels | seeds | dense alone (base) | dense alone (avg1se) | hybrid − dense (both avg1se) | ${variants.join(" | ")} | ${variants
      .filter((v) => v !== "base")
      .map((v) => `${v} − base`)
      .join(" | ")} | ${variants.map((v) => `${v} time`).join(" | ")} |`,
  );
  console.log(`|${"---|".repeat(6 + 2 * variants.length + variants.filter((v) => v !== "base").length)}`);
  for (const set of sets)
    for (const m of sizes) {
      const base = by.get(`${set}|${m}|hybrid|base`);
      const any = variants.map((v) => by.get(`${set}|${m}|hybrid|${v}`)).find(Boolean);
      if (!any) continue;
      const denseBase = by.get(`${set}|${m}|dense|base`);
      const denseAvg = by.get(`${set}|${m}|dense|avg1se`);
      const hybridAvg = by.get(`${set}|${m}|hybrid|avg1se`);
      const label = m >= 99999 ? "all" : String(m);
      console.log(
        `| ${set} | ${label} | ${any.size} | ${mean(denseBase, (l) => l.f1)} | ${mean(denseAvg, (l) => l.f1)} | ${paired(hybridAvg, denseAvg)} | ${variants
          .map((v) => mean(by.get(`${set}|${m}|hybrid|${v}`), (l) => l.f1))
          .join(" | ")} | ${variants
          .filter((v) => v !== "base")
          .map((v) => paired(by.get(`${set}|${m}|hybrid|${v}`), base))
          .join(
            " | ",
          )} | ${variants.map((v) => `${mean(by.get(`${set}|${m}|hybrid|${v}`), (l) => l.seconds)} s`).join(" | ")} |`,
      );
    }
}

async function main(): Promise<void> {
  if (arg("summary")) return summary(arg("summary")!);
  const sets = (arg("datasets")?.split(",") ?? [...SINGLE_LABEL]) as SingleLabelName[];
  const sizes = (arg("sizes") ?? "50,100,200,500").split(",").map(Number);
  const seeds = Number(arg("seeds") ?? 10);
  const variants = (arg("variants") ?? "base,avg1se").split(",").filter(Boolean);
  const denseVariants = (arg("dense-variants") ?? "base,avg1se").split(",").filter(Boolean);
  const out = path.resolve(arg("out") ?? "/tmp/selection-curves.jsonl");
  const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
  for (const name of sets) {
    const ds = loadSingleLabel(name);
    const { vocab, train, test } = await hybridRows(ds, featurizer);
    const K = ds.classes.length;
    const denseOnly = (r: FeatureRows): FeatureRows => ({ ...r, sparse: null });
    for (const m of sizes) {
      for (let seed = 1; seed <= seeds; seed++) {
        const idx = Int32Array.from({ length: train.n }, (_, i) => i);
        shuffleInPlace(idx, createRng(seed * 1000 + m));
        const pick = m >= train.n ? idx.sort() : idx.slice(0, m).sort();
        const sub = featureRowsSubset(train, pick);
        const y = Int32Array.from(pick, (i) => ds.train.y[i]!);
        const runs: [string, "hybrid" | "dense"][] = [
          ...variants.map((v) => [v, "hybrid"] as [string, "hybrid"]),
          ...denseVariants.map((v) => [v, "dense"] as [string, "dense"]),
        ];
        for (const [v, block] of runs) {
          const t = performance.now();
          const { model } = trainHybridClassifier(
            block === "hybrid" ? sub : denseOnly(sub),
            ds.classes,
            { task: "single-label", y },
            {
              featurizerId: "bench",
              vocabulary: block === "hybrid" ? vocab : undefined,
              ...VARIANTS[v]!,
            },
          );
          const seconds = (performance.now() - t) / 1000;
          const P = predictProbaRows(model, block === "hybrid" ? test : denseOnly(test));
          const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(P, i, K));
          const f1 = evaluateSingleLabel(ds.test.y, pred, ds.classes).macro.f1 * 100;
          const s = model.metrics.selection as SelectionRecord;
          const line: Line = {
            set: name,
            m,
            seed,
            variant: v,
            block,
            f1,
            seconds,
            C: s.C,
            alpha: s.blockWeight,
            load: os.loadavg()[0]!,
          };
          fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
        }
      }
      console.log(`[${new Date().toISOString().slice(11, 19)}] ${name} ${m} done, load ${os.loadavg()[0]!.toFixed(1)}`);
    }
  }
  await featurizer.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
