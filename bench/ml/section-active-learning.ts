import fs from "node:fs";
import path from "node:path";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";
import type { BenchContext } from "./run";
import { loadGoEmotions, loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { simulateMultiLabel, simulateSingleLabel, type AlConfig, type BenchStrategy, type Curve } from "./simulate-active-learning";
import { svgLineChart } from "./svg-line-chart";

export const FEATURIZER = "glove-sif-200@1";
const L2 = 1e-3;
const SINGLE_STRATEGIES: BenchStrategy[] = ["random", "least-confidence", "margin", "entropy", "margin+diversity"];
const MULTI_STRATEGIES: BenchStrategy[] = ["random", "threshold-margin", "threshold-margin+diversity", "threshold-margin-mean", "threshold-margin-mean+diversity"];
/** The datasets README's protocol: seed set 2 per class, batches of 10 (50 for Banking77) up to 500 (2,000). */
const CONFIG: Record<SingleLabelName, AlConfig> = {
  ag_news: { seedPerClass: 2, batch: 10, budget: 500, l2: L2 },
  trec: { seedPerClass: 2, batch: 10, budget: 500, l2: L2 },
  sst2: { seedPerClass: 2, batch: 10, budget: 500, l2: L2 },
  banking77: { seedPerClass: 2, batch: 50, budget: 2000, l2: L2 },
  sms_spam: { seedPerClass: 2, batch: 10, budget: 500, l2: L2 },
  emotion: { seedPerClass: 2, batch: 10, budget: 500, l2: L2 },
};

interface Summary { dataset: string; randomFinal: number; budget: number; rows: { strategy: string; share: number | null; final: number; dAulc: number; dAulcSd: number; wins: number }[]; seeds: number }

function meanCurve(curves: Curve[]): number[] {
  const m = curves[0]!.macroF1.length;
  return Array.from({ length: m }, (_, i) => curves.reduce((s, c) => s + c.macroF1[i]!, 0) / curves.length);
}

function summarize(dataset: string, results: Map<string, Curve[]>): Summary {
  const rnd = results.get("random")!;
  const labels = rnd[0]!.labels;
  const rMean = meanCurve(rnd);
  const target = rMean[rMean.length - 1]!;
  const budget = labels[labels.length - 1]!;
  const aulc = (c: Curve): number => c.macroF1.reduce((a, b) => a + b, 0) / c.macroF1.length;
  const rows: Summary["rows"] = [];
  for (const [strategy, curves] of results) {
    const mean = meanCurve(curves);
    const hit = mean.findIndex((v) => v >= target);
    const diffs = curves.map((c, s) => aulc(c) - aulc(rnd[s]!));
    const md = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - md) ** 2, 0) / Math.max(1, diffs.length - 1));
    rows.push({ strategy, share: hit >= 0 ? labels[hit]! / budget : null, final: mean[mean.length - 1]!, dAulc: md, dAulcSd: sd, wins: diffs.filter((d) => d > 0).length });
  }
  return { dataset, randomFinal: target, budget, rows, seeds: rnd.length };
}

const ORDER = [...SINGLE_LABEL, "goemotions"];
const jsonFile = (ctx: BenchContext, name: string): string => path.join(ctx.resultsDir, `ml-al-${name}.json`);

/** Each dataset's summary is stored next to its plot, so `--datasets x` re-runs x and the table keeps the others. */
function store(ctx: BenchContext, name: string, summary: Summary, minutes: number): void {
  fs.writeFileSync(jsonFile(ctx, name), JSON.stringify({ ...summary, minutes, date: new Date().toISOString() }, null, 1));
}

export async function runActiveLearning(ctx: BenchContext): Promise<string> {
  // Created on first use, so `--datasets none` only re-renders the table from the stored per-dataset JSON.
  let featurizer: Featurizer | null = null;
  const getF = async (): Promise<Featurizer> => (featurizer ??= await createFeaturizer(FEATURIZER, { cacheDir: ctx.cacheDir }));
  const t0 = performance.now();
  for (const name of SINGLE_LABEL) {
    if (ctx.datasets && !ctx.datasets.includes(name)) continue;
    const ds = loadSingleLabel(name);
    const f = await getF();
    const Xp = await f.embed(ds.train.texts);
    const Xt = await f.embed(ds.test.texts);
    const results = new Map<string, Curve[]>();
    const ts = performance.now();
    for (const strategy of SINGLE_STRATEGIES) {
      const curves: Curve[] = [];
      for (let seed = 0; seed < ctx.seeds; seed++) curves.push(simulateSingleLabel(Xp, ds.train.y, Xt, ds.test.y, f.dim, ds.classes, strategy, seed, CONFIG[name]));
      results.set(strategy, curves);
    }
    ctx.log(`AL ${name}: ${((performance.now() - ts) / 1000).toFixed(0)} s`);
    store(ctx, name, summarize(name, results), (performance.now() - ts) / 60000);
    plot(name, results, ctx);
  }
  if (!ctx.datasets || ctx.datasets.includes("goemotions")) {
    const ds = loadGoEmotions();
    const f = await getF();
    const Xp = await f.embed(ds.train.texts);
    const Xt = await f.embed(ds.test.texts);
    const results = new Map<string, Curve[]>();
    const ts = performance.now();
    for (const strategy of MULTI_STRATEGIES) {
      const curves: Curve[] = [];
      for (let seed = 0; seed < ctx.seeds; seed++) {
        curves.push(simulateMultiLabel(Xp, ds.train.Y, Xt, ds.test.Y, f.dim, ds.classes, strategy, seed, { seedPerClass: 0, seedSize: 100, batch: 50, budget: 1000, l2: L2 }));
      }
      results.set(strategy, curves);
    }
    ctx.log(`AL goemotions: ${((performance.now() - ts) / 1000).toFixed(0)} s`);
    store(ctx, "goemotions", summarize("goemotions (multi-label)", results), (performance.now() - ts) / 60000);
    plot("goemotions", results, ctx);
  }
  ctx.log(`AL section: ${((performance.now() - t0) / 60000).toFixed(1)} min`);
  const stored = ORDER.filter((n) => fs.existsSync(jsonFile(ctx, n))).map((n) => ({ name: n, ...(JSON.parse(fs.readFileSync(jsonFile(ctx, n), "utf8")) as Summary & { minutes: number }) }));
  const minutes = stored.reduce((a, s) => a + s.minutes, 0).toFixed(1);
  const missing = ORDER.filter((n) => !fs.existsSync(jsonFile(ctx, n)));
  const note = missing.length ? `\n\n**Not in these results** (run stopped for time on the shared machine): ${missing.join(", ")}. Run \`npm run bench:ml -- --only al --datasets ${missing.join(",")}\` to add them.` : "";
  return renderActiveLearning(stored, stored.map((s) => `ml-al-${s.name}.svg`), ctx.seeds, minutes) + note;
}

function plot(name: string, results: Map<string, Curve[]>, ctx: BenchContext): void {
  const file = `ml-al-${name}.svg`;
  const series = [...results].map(([s, curves]) => ({ name: s, x: curves[0]!.labels, y: meanCurve(curves) }));
  fs.mkdirSync(ctx.resultsDir, { recursive: true });
  fs.writeFileSync(path.join(ctx.resultsDir, file), svgLineChart(`${name}: macro-F1 vs labels (mean of ${curves0(results)} seeds)`, "labels", "macro-F1 (test)", series));
}
const curves0 = (r: Map<string, Curve[]>): number => [...r.values()][0]!.length;

function renderActiveLearning(summaries: Summary[], plots: string[], seeds: number, minutes: string): string {
  const fmtShare = (s: number | null): string => (s === null ? "not reached" : s.toFixed(2));
  const out: string[] = [];
  out.push(`## 1. Active learning: learning curves (${FEATURIZER}, ${seeds} seeds unless noted; ${minutes} min of compute summed over datasets)`);
  out.push("");
  out.push(`Protocol (datasets README): pool = train split (AG News and SMS spam: seeded 50/50 stratified split), test = test split.
Seed set 2 labels per class (seeded), then batches of 10 (Banking77: 50) up to 500 labels (Banking77: 2,000). Each round
retrains L2 logistic regression (λ = ${L2}, standardized, L-BFGS to gtol 1e-4, warm-started from the previous round) and scores the
whole pool in chunks of 4,096 with \`scoreChunk\` + \`TopKSelector\`. margin+diversity takes the top 10 × batch by margin
and drops near-duplicates (cosine > 0.9) with \`selectDiverseBatch\` ("dedupe"). GoEmotions (28 labels, multi-label): seed set
100 random texts, batches of 50 up to 1,000, one-vs-rest with balanced weights, macro-F1 at threshold 0.5, strategies
"threshold-margin" (the label closest to its threshold) and "threshold-margin-mean" (mean closeness over all labels).

**Label share** = labels a strategy needs (mean curve over seeds) to reach random's final macro-F1, divided by random's final
budget (lower is better; goal ≤ 0.50). **ΔAULC** = paired difference in area under the learning curve (mean macro-F1 over all
checkpoints) vs random on the same seed, mean ± sd over seeds, and the number of seeds where the strategy beat random.`);
  out.push("");
  const strategies = [...new Set(summaries.flatMap((s) => s.rows.map((r) => r.strategy)))].filter((s) => s !== "random");
  out.push(`| dataset (seeds) | random final macro-F1 | ${strategies.map((s) => `${s} share`).join(" | ")} |`);
  out.push(`|---|---|${strategies.map(() => "---").join("|")}|`);
  for (const s of summaries) {
    out.push(`| ${s.dataset} (${s.seeds}) | ${s.randomFinal.toFixed(3)} @ ${s.budget} | ${strategies.map((st) => { const r = s.rows.find((x) => x.strategy === st); return r ? fmtShare(r.share) : "—"; }).join(" | ")} |`);
  }
  out.push("");
  out.push(`| dataset (seeds) | strategy | final macro-F1 | ΔAULC vs random (mean ± sd) | seeds beating random |`);
  out.push(`|---|---|---|---|---|`);
  for (const s of summaries) for (const r of s.rows) {
    if (r.strategy === "random") continue;
    out.push(`| ${s.dataset} (${s.seeds}) | ${r.strategy} | ${r.final.toFixed(3)} | ${(r.dAulc >= 0 ? "+" : "") + r.dAulc.toFixed(4)} ± ${r.dAulcSd.toFixed(4)} | ${r.wins}/${s.seeds} |`);
  }
  out.push("");
  out.push(`Reference (datasets README, margin, mean GloVe): AG News 0.23, SMS spam 0.17, SST-2 0.62, Banking77 0.69, TREC 0.94, emotion 0.86.`);
  out.push("");
  for (const p of plots) out.push(`![${p}](${p})`);
  return out.join("\n");
}
