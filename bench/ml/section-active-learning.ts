import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";
import type { Targets } from "@/ml/train-logistic-regression";
import type { BenchContext } from "./run";
import { loadGoEmotions, loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import {
  HYBRID_ID,
  simulateProductionQueue,
  type QueueConfig,
  type QueueCurve,
  type QueueStrategy,
} from "./simulate-production-queue";
import { svgLineChart } from "./svg-line-chart";

const DENSE_ID = "glove-sif-200@1";
// Production's defaults (prisma/schema.prisma Project): retrain every 20 labels, 10% random picks, 2 labels per class.
const PRODUCTION = { retrainEvery: 20, randomShare: 0.1, minLabelsPerClass: 2 };
type AlName = SingleLabelName | "goemotions";
const ORDER: AlName[] = [...SINGLE_LABEL, "goemotions"];
const BUDGET: Record<AlName, number> = {
  ag_news: 500,
  trec: 500,
  sst2: 500,
  banking77: 1000,
  sms_spam: 500,
  emotion: 500,
  goemotions: 500,
};
// Stored curves of another learner are not comparable: bump when fitClassifier's behaviour in a retrain chain changes.
// 2: C and α inherited only while the data grew < 20% since the training that last searched them (4abc7cc).
// 3: k-fold selection serves the average of the settings within one standard error (a retrain keeps the first).
// 4: a retrain keeps the last search's choice only when it served one setting (an average is searched again).
// 5: above 200 labels the dense block alone is no candidate of the search (fit-classifier.ts DENSE_ALONE_UP_TO).
const LEARNER_REVISION = 5;

/**
 * Two studies. "queue": from the README's seed set (2 labels per class, what training needs anyway), the strategies
 * once a model exists, against random. "cold": from an empty project, the first batch by cluster representatives
 * against production's random first batches (both margin+diversity once a model exists).
 */
interface Study {
  prefix: string;
  strategies: QueueStrategy[];
  baseline: QueueStrategy;
  config: (name: AlName) => QueueConfig;
}
const STUDIES: Record<"queue" | "cold", Study> = {
  queue: {
    prefix: "",
    strategies: ["random", "margin+diversity", "badge", "margin", "softrank", "representative", "bald", "density"],
    baseline: "random",
    config: (name) => ({ ...PRODUCTION, seedPerClass: 2, budget: BUDGET[name] }),
  },
  cold: {
    prefix: "cold-",
    strategies: ["margin+diversity", "cold-start"],
    baseline: "margin+diversity",
    config: (name) => ({ ...PRODUCTION, seedPerClass: 0, budget: BUDGET[name] }),
  },
};

interface Stored {
  dataset: string;
  learnerRevision: number;
  config: QueueConfig;
  /** curves[strategy][seed] */
  curves: Record<string, Record<string, QueueCurve>>;
  runs: { strategy: string; seed: number; seconds: number; load: number[]; date: string }[];
}

const jsonFile = (ctx: BenchContext, study: Study, name: string): string =>
  path.join(ctx.resultsDir, `ml-al-${study.prefix}${name}.json`);

/** The stored runs of a set; `anyRevision`: also those of an earlier learner (the table marks them), for rendering. */
function load(ctx: BenchContext, study: Study, name: string, anyRevision = false): Stored {
  const config = study.config(name as AlName);
  const file = jsonFile(ctx, study, name);
  if (fs.existsSync(file)) {
    const s = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Stored>;
    // Results of another protocol or budget (the GloVe + plain LR simulation before 2026-12-07) are not comparable.
    if (
      s.curves &&
      (s.learnerRevision === LEARNER_REVISION || (anyRevision && (s.learnerRevision ?? 0) >= 2)) &&
      JSON.stringify(s.config) === JSON.stringify(config)
    )
      return s as Stored;
  }
  return { dataset: name, learnerRevision: LEARNER_REVISION, config, curves: {}, runs: [] };
}

/**
 * Runs every (seed, strategy) not stored yet, seed by seed, storing after each run: a run stopped for time keeps
 * what finished, and two processes can work on different datasets. `--datasets cold-trec` runs trec's cold study.
 */
export async function runActiveLearning(ctx: BenchContext): Promise<string> {
  let featurizer: Featurizer | null = null;
  const getF = async (): Promise<Featurizer> =>
    (featurizer ??= await createFeaturizer(DENSE_ID, { cacheDir: ctx.cacheDir }));
  for (const study of Object.values(STUDIES)) {
    // In the order given (the most informative first when compute is short).
    const names = ctx.datasets
      ? ctx.datasets.filter((d) => d.startsWith(study.prefix)).map((d) => d.slice(study.prefix.length))
      : [...SINGLE_LABEL];
    for (const name of names.filter((x): x is AlName => (ORDER as string[]).includes(x))) {
      const multi = name === "goemotions";
      // The cold study is single-label (its question, rare classes in a first batch, is about one label per text).
      if (multi && study.prefix) continue;
      const ds = multi ? loadGoEmotions() : loadSingleLabel(name);
      const f = await getF();
      const targetsOf = (split: { y: Int32Array } | { Y: Uint8Array }): Targets =>
        "Y" in split ? { task: "multi-label", Y: split.Y } : { task: "single-label", y: split.y };
      const pool = { texts: ds.train.texts, targets: targetsOf(ds.train), X: await f.embed(ds.train.texts) };
      const test = { texts: ds.test.texts, targets: targetsOf(ds.test), X: await f.embed(ds.test.texts) };
      const config = study.config(name);
      // The gradient embedding assumes a softmax: multi-label runs the production rankings and random.
      const strategies = study.strategies.filter((st) => !(multi && (st === "badge" || st === "bald")));
      for (let seed = 0; seed < ctx.seeds; seed++) {
        for (const strategy of strategies.filter((st) => !ctx.strategies || ctx.strategies.includes(st))) {
          if (load(ctx, study, name).curves[strategy]?.[String(seed)]) continue;
          const t0 = performance.now();
          const curve = simulateProductionQueue(pool, test, f.dim, ds.classes, strategy, seed, config);
          const seconds = (performance.now() - t0) / 1000;
          ctx.log(
            `AL ${study.prefix}${name} ${strategy} seed ${seed}: ${seconds.toFixed(0)} s (fits ${curve.fitSeconds.toFixed(0)} s), first model at ${curve.firstModelAt ?? "never"}, final ${curve.macroF1.at(-1)!.toFixed(3)}, load ${os.loadavg()[0]!.toFixed(1)}`,
          );
          const fresh = load(ctx, study, name);
          (fresh.curves[strategy] ??= {})[String(seed)] = curve;
          fresh.runs.push({
            strategy,
            seed,
            seconds,
            load: os.loadavg().map((v) => Number(v.toFixed(2))),
            date: new Date().toISOString(),
          });
          fs.writeFileSync(jsonFile(ctx, study, name), JSON.stringify(fresh));
        }
      }
    }
  }
  await (featurizer as Featurizer | null)?.close();
  return renderActiveLearning(ctx);
}

interface Row {
  strategy: string;
  seeds: number;
  share: number | null;
  final: number;
  dAulc: number;
  dAulcSd: number;
  wins: number;
  firstModelAt: number | null;
  firstModels: number;
}
interface Summary {
  dataset: string;
  seeds: number;
  baselineFinal: number;
  budget: number;
  rows: Row[];
  minutes: number;
  loads: number[];
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
function meanCurve(curves: QueueCurve[]): number[] {
  return curves[0]!.macroF1.map((_, i) => mean(curves.map((c) => c.macroF1[i]!)));
}
const aulc = (c: QueueCurve): number => mean(c.macroF1);

/** Seeds the baseline finished. */
function baselineSeeds(study: Study, s: Stored): string[] {
  return Object.keys(s.curves[study.baseline] ?? {});
}

/** Each strategy against the baseline on the seeds both finished, so every ΔAULC is paired. */
function summarize(study: Study, s: Stored): Summary | null {
  const seeds = baselineSeeds(study, s);
  if (seeds.length === 0) return null;
  const strategies = study.strategies.filter((st) => s.curves[st]);
  const baseAll = seeds.map((seed) => s.curves[study.baseline]![seed]!);
  const labels = baseAll[0]!.labels;
  const rows: Row[] = strategies.map((st) => {
    const paired = seeds.filter((seed) => s.curves[st]![seed]);
    const curves = paired.map((seed) => s.curves[st]![seed]!);
    const base = paired.map((seed) => s.curves[study.baseline]![seed]!);
    const target = meanCurve(base).at(-1)!;
    const m = meanCurve(curves);
    const hit = m.findIndex((v) => v >= target);
    const diffs = curves.map((c, k) => aulc(c) - aulc(base[k]!));
    const md = mean(diffs);
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - md) ** 2, 0) / Math.max(1, diffs.length - 1));
    const firsts = curves.map((c) => c.firstModelAt).filter((v): v is number => v !== null);
    return {
      strategy: st,
      seeds: paired.length,
      share: hit >= 0 ? labels[hit]! / labels.at(-1)! : null,
      final: m.at(-1)!,
      dAulc: md,
      dAulcSd: sd,
      wins: diffs.filter((v) => v > 0).length,
      firstModelAt: firsts.length ? mean(firsts) : null,
      firstModels: firsts.length,
    };
  });
  const runs = s.runs.filter((r) => strategies.includes(r.strategy as QueueStrategy));
  return {
    dataset:
      s.learnerRevision === LEARNER_REVISION ? s.dataset : `${s.dataset} (learner revision ${s.learnerRevision})`,
    seeds: seeds.length,
    baselineFinal: meanCurve(baseAll).at(-1)!,
    budget: labels.at(-1)!,
    rows,
    minutes: runs.reduce((a, r) => a + r.seconds, 0) / 60,
    loads: runs.map((r) => r.load[0]!),
  };
}

function plot(ctx: BenchContext, study: Study, s: Stored): string {
  const series = study.strategies
    .filter((st) => s.curves[st])
    .map((st) => {
      const curves = Object.values(s.curves[st]!);
      return { name: `${st} (${curves.length})`, x: curves[0]!.labels, y: meanCurve(curves) };
    });
  const file = `ml-al-${study.prefix}${s.dataset}.svg`;
  const what = study.prefix ? "from an empty project" : "from 2 labels per class";
  fs.writeFileSync(
    path.join(ctx.resultsDir, file),
    svgLineChart(
      `${s.dataset}: test macro-F1 vs labels, production queue ${what} (mean over seeds)`,
      "labels",
      "macro-F1 (test)",
      series,
    ),
  );
  return file;
}

function tables(
  ctx: BenchContext,
  study: Study,
): { summaries: Summary[]; plots: string[]; missing: string[]; lines: string[] } {
  const summaries: Summary[] = [];
  const plots: string[] = [];
  const missing: string[] = [];
  for (const name of ORDER) {
    const s = name === "goemotions" && study.prefix ? null : load(ctx, study, name, true);
    const sum = s ? summarize(study, s) : null;
    if (!s || !sum) {
      missing.push(name);
      continue;
    }
    summaries.push(sum);
    plots.push(plot(ctx, study, s));
  }
  const fmtShare = (v: number | null): string => (v === null ? "not reached" : v.toFixed(2));
  const sign = (v: number): string => (v >= 0 ? "+" : "") + v.toFixed(4);
  const others = study.strategies.filter(
    (st) => st !== study.baseline && summaries.some((s) => s.rows.some((r) => r.strategy === st)),
  );
  const lines: string[] = [];
  lines.push(
    `| dataset (${study.baseline} seeds) | ${study.baseline} final macro-F1 | ${others.map((s) => `${s} share`).join(" | ")} |`,
  );
  lines.push(`|---|---|${others.map(() => "---").join("|")}|`);
  for (const s of summaries) {
    lines.push(
      `| ${s.dataset} (${s.seeds}) | ${s.baselineFinal.toFixed(3)} @ ${s.budget} | ${others
        .map((st) => {
          const r = s.rows.find((x) => x.strategy === st);
          return r ? fmtShare(r.share) : "—";
        })
        .join(" | ")} |`,
    );
  }
  lines.push("");
  lines.push(
    `| dataset | strategy | final macro-F1 | ΔAULC vs ${study.baseline} (mean ± sd) | seeds beating ${study.baseline} / paired seeds | first model at (labels, mean) |`,
  );
  lines.push(`|---|---|---|---|---|---|`);
  for (const s of summaries)
    for (const r of s.rows) {
      const base = r.strategy === study.baseline;
      const first =
        r.firstModelAt === null
          ? "never"
          : `${r.firstModelAt.toFixed(0)}${r.firstModels < r.seeds ? ` (${r.seeds - r.firstModels} seeds never)` : ""}`;
      lines.push(
        `| ${s.dataset} | ${r.strategy} | ${r.final.toFixed(3)} | ${base ? "—" : `${sign(r.dAulc)} ± ${r.dAulcSd.toFixed(4)}`} | ${base ? `— / ${r.seeds}` : `${r.wins}/${r.seeds}`} | ${first} |`,
      );
    }
  return { summaries, plots, missing, lines };
}

function renderActiveLearning(ctx: BenchContext): string {
  const queue = tables(ctx, STUDIES.queue);
  const cold = tables(ctx, STUDIES.cold);
  const all = [...queue.summaries, ...cold.summaries];
  const minutes = all.reduce((a, s) => a + s.minutes, 0);
  const loads = all.flatMap((s) => s.loads);
  const out: string[] = [];
  out.push(
    `## 1. Active learning: the production queue with the default learner (${HYBRID_ID}; ${minutes.toFixed(0)} min of compute summed over runs, 1-min load average ${loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : "?"} during them)`,
  );
  out.push("");
  out.push(`Simulation (bench/ml/simulate-production-queue.ts) of one project with an oracle annotator, as production runs it with
its defaults: training is refused while a class has fewer than 2 labels; after every 20 labels a retrain through
production's \`fitClassifier\` (hybrid n-grams + GloVe-SIF, IDF from the pool, C and α chosen by cross-validation and kept
while the data grew by < 20% since the training that last searched them, warm start, out-of-fold temperature); the pool is rescored
with \`modelProbabilities\`, and each of the next 20 picks is a random unlabeled item with probability 0.1, otherwise the
next item of the ranking. Before the first model every pick is random. margin: the ranking by margin. margin+diversity
(production's default): the 20 items of least margin among the 200 most uncertain with no cosine > 0.9 (GloVe-SIF) to
one already picked, moved to the head (diversify-queue-head.ts). badge: among the same 200, k-means++ seeding over the
gradient embeddings (p − onehot(ŷ)) ⊗ x, x the GloVe-SIF vector (\`gradientEmbeddingBatch\`). cold-start: the first batch
of an empty project is 20 cluster representatives of the GloVe-SIF vectors (k-means++ seeding + 5 Lloyd steps, the
nearest text to each centre: \`coldStartBatch\`), then as margin+diversity. Pool = train split (AG News and SMS spam:
seeded 50/50 stratified split), test = test split, test macro-F1 after every 20 labels (with no model yet: the labeled
set's most frequent class for every text). Budget: 500 labels (Banking77 1,000), seed set included.
GoEmotions (multi-label, 28 labels) runs the same loop with production's multi-label rules: the seed set gives each label
2 positive texts (a text picked for one label counts for all it carries), training waits for 2 positives per label,
margin and margin+diversity rank by threshold-margin (\`queueStrategy\`: the label closest to its decision threshold;
margin is production's multi-label default), and the metric is the macro-F1 production shows for a multi-label version
(labels on at ≥ the model's thresholds, mean F1 over labels present in the truth or the predictions); no badge (its
gradient embedding assumes a softmax).

Not modelled: second looks (production serves them only from a model with CV macro-F1 ≥ 0.6 and never on a label the
annotator gave in the current session — with one oracle annotator in one session it serves none; with several it would
spend ≤ 10% of picks re-serving labeled items, which an oracle confirms: no gain, the same cost for every strategy); the
test-set boost (the shared sets have their own labeled test split, so the project's test target is taken as met and
the random share draws from the pool); the promotion rule (every retrain goes live); labels given while a retrain runs
(the simulation waits for it).

**Label share** = labels a strategy needs (mean curve over seeds) to reach the baseline's final macro-F1, divided by the
budget (lower is better; goal ≤ 0.50). **ΔAULC** = paired difference in area under the learning curve (mean macro-F1
over all checkpoints) vs the baseline on the same seed, mean ± sd over seeds, and the seeds where the strategy beat it.`);
  out.push("");
  out.push(`### 1a. From the README's seed set (2 labels per class, seeded): strategies against random`);
  out.push("");
  out.push(...queue.lines);
  if (queue.missing.length)
    out.push("", `**Not run** (compute on the shared machine; see the reading below): ${queue.missing.join(", ")}.`);
  out.push("");
  out.push(
    `### 1b. From an empty project: cold-start first batch against production's random first batches (margin+diversity after)`,
  );
  out.push("");
  if (cold.summaries.length === 0) out.push("No run with learner revision 2 or later stored.");
  else {
    out.push(...cold.lines);
    const notRun = cold.missing.filter((name) => name !== "goemotions");
    if (notRun.length) out.push("", `**Not run**: ${notRun.join(", ")}.`);
  }
  out.push("");
  out.push(
    `\`npm run bench:ml -- --only al --datasets trec,cold-trec --seeds 3\` adds or extends a set; runs resume per (seed, strategy).`,
  );
  out.push("");
  for (const p of [...queue.plots, ...cold.plots]) out.push(`![${p}](${p})`);
  return out.join("\n");
}
