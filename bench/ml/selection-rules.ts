/**
 * Selection rules compared on the same fits: for each training (a set, a label count, a seed: the seeded samples of
 * ml.md section 2), trainHybridClassifier scores its grid as in production, then every tried setting is fit on all
 * rows and its test logits kept (the onSelection hook). Each rule (oneSeMembers with its options) then names its
 * members, and the served model's test logits are the members' tempered logits averaged — exactly what
 * trainHybridClassifier serves (averageFits), so each rule's test macro-F1 comes from one run. The dense block alone
 * is the same rule over the α = 0 settings (the same fits as a dense-only training: same folds, same walk).
 *   npx tsx bench/ml/selection-rules.ts --datasets emotion,sms_spam --sizes 50,100 --seeds 10 --out /tmp/rules.jsonl
 *   npx tsx bench/ml/selection-rules.ts --summary /tmp/rules.jsonl
 *   npx tsx bench/ml/selection-rules.ts --matrix /tmp/rules.jsonl,/tmp/more.jsonl --rules paired,spread
 * --sizes all: the full train split (holdout mode above 3,000 rows). --dumps DIR stores each training's fits (v8
 * serialized); --from-dumps DIR --out F re-evaluates RULES on them without training.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { predictProbaRows, type ClassifierModel } from "@/ml/classifier-model";
import { featureRowsSubset, type FeatureRows } from "@/ml/feature-rows";
import { argmaxRow } from "@/ml/linear-model";
import { evaluateSingleLabel } from "@/ml/metrics";
import { fitTemperature, scaledNll } from "@/ml/temperature-scaling";
import { createRng, shuffleInPlace } from "@/ml/rng";
import {
  DEFAULT_SELECTION_RULE,
  oneSeMembers,
  trainHybridClassifier,
  type SelectionRule,
  type Setting,
} from "@/ml/train-hybrid-classifier";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { hybridRows } from "./hybrid-rows";
import { loadSingleLabel, SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { benchArg as arg } from "../bench-args";

const D: Rule = { ...DEFAULT_SELECTION_RULE, maxHoldoutMembers: 1 };
/** Rules that score holdout mode by the per-row error (argmax wrong) instead of the tempered log-loss. */
const ERROR_IN_HOLDOUT = new Set(["errH", "pairedErrH", "spreadErrH", "pairedSpreadErrH"]);
/** A rule: oneSeMembers' options, and how many members are averaged in k-fold mode and (here only) holdout mode. */
type Rule = SelectionRule & { maxHoldoutMembers: number };
const RULES: Record<string, Rule> = {
  errH: { ...D },
  pairedErrH: { ...D, se: "paired" },
  spreadErrH: { ...D, order: "spread" },
  pairedSpreadErrH: { ...D, se: "paired", order: "spread" },
  base: { ...D, maxMembers: 1, maxHoldoutMembers: 1 },
  avg1se: { ...D },
  avg1seH2: { ...D, maxHoldoutMembers: 2 },
  avg1seH5: { ...D, maxHoldoutMembers: 5 },
  paired1: { ...D, se: "paired", maxMembers: 1, maxHoldoutMembers: 1 },
  paired: { ...D, se: "paired" },
  pairedH2: { ...D, se: "paired", maxHoldoutMembers: 2 },
  pairedH5: { ...D, se: "paired", maxHoldoutMembers: 5 },
  spread: { ...D, order: "spread" },
  pairedSpread: { ...D, se: "paired", order: "spread" },
  pairedSpreadH2: { ...D, se: "paired", order: "spread", maxHoldoutMembers: 2 },
  avgAll: { ...D, maxMembers: 99 },
  effective: { ...D, order: "effective" },
  pairedEffective: { ...D, se: "paired", order: "effective" },
  effective1: { ...D, order: "effective", maxMembers: 1 },
  pairedAll: { ...D, se: "paired", maxMembers: 99, maxHoldoutMembers: 99 },
};

interface Line {
  set: string;
  m: number;
  seed: number;
  rule: string;
  mode: string;
  hybrid: number;
  dense: number;
  members: string;
  denseMembers: string;
  load: number;
  seconds: number;
}

function summary(file: string, baseline: string): void {
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  const rules = [...new Set(lines.map((l) => l.rule))];
  const cells = [...new Set(lines.map((l) => `${l.set}|${l.m}`))];
  const stat = (d: number[]): string => {
    if (d.length === 0) return "—";
    const mean = d.reduce((x, y) => x + y, 0) / d.length;
    if (d.length < 2) return `${mean >= 0 ? "+" : ""}${mean.toFixed(2)}`;
    const se = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1) / d.length);
    return `${mean >= 0 ? "+" : ""}${mean.toFixed(2)} ± ${se.toFixed(2)}`;
  };
  console.log(`| set | labels | seeds | rule | hybrid | dense alone | hybrid − dense | hybrid − ${baseline} |`);
  console.log("|---|---|---|---|---|---|---|---|");
  for (const cell of cells) {
    const [set, m] = cell.split("|");
    const of = (rule: string): Map<number, Line> =>
      new Map(lines.filter((l) => `${l.set}|${l.m}` === cell && l.rule === rule).map((l) => [l.seed, l]));
    const base = of(baseline);
    for (const rule of rules) {
      const r = of(rule);
      if (r.size === 0) continue;
      const v = [...r.values()];
      const mean = (f: (l: Line) => number): string => (v.reduce((x, l) => x + f(l), 0) / v.length).toFixed(2);
      const vsBase = [...r.keys()].filter((s) => base.has(s)).map((s) => r.get(s)!.hybrid - base.get(s)!.hybrid);
      console.log(
        `| ${set} | ${Number(m) >= 99999 ? "all" : m} | ${r.size} | ${rule} | ${mean((l) => l.hybrid)} | ${mean((l) => l.dense)} | ${stat(v.map((l) => l.hybrid - l.dense))} | ${rule === baseline ? "" : stat(vsBase)} |`,
      );
    }
  }
}

interface Dump {
  set: string;
  m: number;
  seed: number;
  mode: string;
  seconds: number;
  K: number;
  testY: Int32Array;
  classes: string[];
  /** Every tried setting: tempered per-row selection losses, temperature, raw test logits of its fit on all rows. */
  settings: (Setting & {
    losses: Float64Array;
    errors?: Float64Array;
    oof?: Float32Array;
    temperature: number;
    test: Float32Array;
  })[];
  scoredY?: Int32Array;
  /** No cross-validation was possible (a class with one row): every rule serves the same model. */
  fixed?: { hybrid: number; dense: number };
}

/** Each rule's members and the test macro-F1 of their averaged tempered logits (hybrid, and α = 0 settings alone). */
function evaluate(d: Dump): Line[] {
  const lines = evaluateAll(d).filter((l): l is Line => l !== null);
  return [
    ...lines,
    ...familyLines(
      d,
      lines.find((l) => l.rule === "avg1se")!,
    ),
  ];
}

/**
 * The averaged model of `members` on the scored rows: its out-of-fold logits (tempered members averaged), refit
 * temperature, and per-row loss at that temperature.
 */
function averagedLosses(d: Dump, members: Setting[]): Float64Array {
  const m = d.scoredY!.length;
  const z = new Float32Array(m * d.K);
  for (const s of members) {
    const st = d.settings.find((x) => x.C === s.C && x.blockWeight === s.blockWeight)!;
    for (let j = 0; j < z.length; j++) z[j] = z[j]! + st.oof![j]! / st.temperature / members.length;
  }
  const T = fitTemperature(z, m, d.K, "single-label", d.scoredY!);
  return Float64Array.from({ length: m }, (_, r) =>
    scaledNll(z.subarray(r * d.K, r * d.K + d.K), 1, d.K, "single-label", d.scoredY!.subarray(r, r + 1), 1 / T),
  );
}

/** Family rules: the hybrid's average against the dense block alone's average, the dense one kept within one SE. */
function familyLines(d: Dump, base: Line): Line[] {
  const names = ["familyPaired", "familyUnpaired", "familySpreadPaired", "familySpreadUnpaired"];
  // No selection (fixed) or holdout mode: the family rules serve what the k-fold-only rule leaves alone.
  if (d.fixed || d.mode !== "folds") return names.map((rule) => ({ ...base, rule }));
  if (!d.settings[0]?.oof) return [];
  const f1Of = (members: Setting[]): number => {
    const nTest = d.testY.length;
    const z = new Float64Array(nTest * d.K);
    for (const s of members) {
      const st = d.settings.find((x) => x.C === s.C && x.blockWeight === s.blockWeight)!;
      for (let j = 0; j < z.length; j++) z[j] = z[j]! + st.test[j]! / st.temperature / members.length;
    }
    const pred = Int32Array.from({ length: nTest }, (_, i) => argmaxRow(z, i, d.K));
    return evaluateSingleLabel(d.testY, pred, d.classes).macro.f1 * 100;
  };
  const out: Line[] = [];
  for (const [name, rule, test] of [
    ["familyPaired", RULES.avg1se!, "paired"],
    ["familyUnpaired", RULES.avg1se!, "unpaired"],
    ["familySpreadPaired", RULES.spread!, "paired"],
    ["familySpreadUnpaired", RULES.spread!, "unpaired"],
  ] as const) {
    const H = oneSeMembers(d.settings, rule).slice(0, rule.maxMembers);
    const Dn = oneSeMembers(
      d.settings.filter((s) => s.blockWeight === 0),
      rule,
    ).slice(0, rule.maxMembers);
    let members = H;
    if (Dn.length > 0 && H.some((s) => s.blockWeight !== 0)) {
      const pick = oneSeMembers(
        [
          { C: 0, blockWeight: 0, losses: averagedLosses(d, Dn) },
          { C: 1, blockWeight: 1, losses: averagedLosses(d, H) },
        ],
        { se: test, order: "simpler" },
      )[0]!;
      if (pick.C === 0) members = Dn;
    }
    const dense = Dn.length ? f1Of(Dn) : NaN;
    out.push({ ...base, rule: name, hybrid: f1Of(members), dense, members: fmt(members), denseMembers: fmt(Dn) });
  }
  return out;
}

function evaluateAll(d: Dump): (Line | null)[] {
  const nTest = d.testY.length;
  const key = (s: Setting): string => `${s.C}|${s.blockWeight}`;
  const f1Of = (members: Setting[]): number => {
    const z = new Float64Array(nTest * d.K);
    for (const s of members) {
      const st = d.settings.find((x) => key(x) === key(s))!;
      for (let j = 0; j < z.length; j++) z[j] = z[j]! + st.test[j]! / st.temperature / members.length;
    }
    const pred = Int32Array.from({ length: nTest }, (_, i) => argmaxRow(z, i, d.K));
    return evaluateSingleLabel(d.testY, pred, d.classes).macro.f1 * 100;
  };
  return Object.entries(RULES).map(([rule, r]) => {
    if (d.fixed)
      return {
        ...d.fixed,
        set: d.set,
        m: d.m,
        seed: d.seed,
        rule,
        mode: d.mode,
        members: "",
        denseMembers: "",
        load: os.loadavg()[0]!,
        seconds: d.seconds,
      };
    const max = d.mode === "folds" ? r.maxMembers : r.maxHoldoutMembers;
    const byError = ERROR_IN_HOLDOUT.has(rule) && d.mode === "holdout";
    if (byError && !d.settings[0]!.errors) return null;
    const scored = byError ? d.settings.map((s) => ({ ...s, losses: s.errors! })) : d.settings;
    const members = oneSeMembers(scored, r).slice(0, max);
    const denseMembers = oneSeMembers(
      scored.filter((s) => s.blockWeight === 0),
      r,
    ).slice(0, max);
    return {
      set: d.set,
      m: d.m,
      seed: d.seed,
      rule,
      mode: d.mode,
      hybrid: f1Of(members),
      dense: denseMembers.length ? f1Of(denseMembers) : NaN,
      members: fmt(members),
      denseMembers: fmt(denseMembers),
      load: os.loadavg()[0]!,
      seconds: d.seconds,
    };
  });
}

/**
 * Two tables over every cell: each rule's test macro-F1 minus the baseline rule's (paired per seed ± SE), and minus
 * the dense block alone by the same rule. Full-data rows (label count "all") average over the fold seeds present.
 */
function matrix(files: string[], baseline: string, rules: string[]): void {
  const lines = files.flatMap((f) =>
    fs
      .readFileSync(f, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line),
  );
  const setOrder = [...new Set(lines.map((l) => l.set))];
  const cells = [...new Set(lines.map((l) => `${l.set}|${l.m}`))].sort((a, b) => {
    const [sa, ma] = a.split("|");
    const [sb, mb] = b.split("|");
    return (
      Number(Number(ma) >= 99999) - Number(Number(mb) >= 99999) ||
      setOrder.indexOf(sa!) - setOrder.indexOf(sb!) ||
      Number(ma) - Number(mb)
    );
  });
  const stat = (d: number[]): string => {
    if (d.length === 0) return "—";
    const mean = d.reduce((x, y) => x + y, 0) / d.length;
    const head = `${mean >= 0 ? "+" : ""}${mean.toFixed(2)}`;
    if (d.length < 2) return head;
    const se = Math.sqrt(d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1) / d.length);
    return `${head} ± ${se.toFixed(2)}`;
  };
  for (const [title, f] of [
    [`rule − ${baseline} (hybrid)`, (r: Line, b: Line): number => r.hybrid - b.hybrid],
    ["hybrid − dense alone (same rule)", (r: Line): number => r.hybrid - r.dense],
  ] as const) {
    console.log(`\n${title}:\n\n| set | labels | seeds | ${baseline} hybrid / dense | ${rules.join(" | ")} |`);
    console.log(`|---|---|---|---|${rules.map(() => "---|").join("")}`);
    for (const cell of cells) {
      const [set, m] = cell.split("|");
      const of = (rule: string): Map<number, Line> =>
        new Map(lines.filter((l) => `${l.set}|${l.m}` === cell && l.rule === rule).map((l) => [l.seed, l]));
      const base = of(baseline);
      if (base.size === 0) continue;
      const bv = [...base.values()];
      const mean = (g: (l: Line) => number): string => (bv.reduce((x, l) => x + g(l), 0) / bv.length).toFixed(2);
      const row = rules.map((rule) => {
        const r = of(rule);
        return stat([...r.keys()].filter((sd) => base.has(sd)).map((sd) => f(r.get(sd)!, base.get(sd)!)));
      });
      console.log(
        `| ${set} | ${Number(m) >= 99999 ? "all" : m} | ${base.size} | ${mean((l) => l.hybrid)} / ${mean((l) => l.dense)} | ${row.join(" | ")} |`,
      );
    }
  }
}

const fmt = (s: Setting[]): string => s.map((x) => `${x.C}/${x.blockWeight}`).join(" ");

async function main(): Promise<void> {
  if (arg("summary")) return summary(arg("summary")!, arg("baseline") ?? "avg1se");
  if (arg("matrix"))
    return matrix(arg("matrix")!.split(","), arg("baseline") ?? "avg1se", (arg("rules") ?? "paired,spread").split(","));
  const dumpDir = arg("dumps") ? path.resolve(arg("dumps")!) : null;
  if (dumpDir) fs.mkdirSync(dumpDir, { recursive: true });
  if (arg("from-dumps")) {
    // Re-evaluate the rules on stored fits (no training).
    const dir = path.resolve(arg("from-dumps")!);
    const out = path.resolve(arg("out") ?? "/tmp/selection-rules.jsonl");
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith(".v8"))
      .sort())
      for (const line of evaluate(v8.deserialize(fs.readFileSync(path.join(dir, f))) as Dump))
        fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
    return;
  }
  const sets = (arg("datasets")?.split(",") ?? [...SINGLE_LABEL]) as SingleLabelName[];
  const sizes = (arg("sizes") ?? "50,100,200").split(",").map((s) => (s === "all" ? 99999 : Number(s)));
  const seeds = (arg("seeds") ?? "1-10").includes("-")
    ? ((a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i))(
        ...((arg("seeds") ?? "1-10").split("-").map(Number) as [number, number]),
      )
    : (arg("seeds") ?? "10").split(",").map(Number);
  const foldSeeds = (arg("fold-seeds") ?? "0").split(",").map(Number);
  const out = path.resolve(arg("out") ?? "/tmp/selection-rules.jsonl");
  const featurizer = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
  for (const name of sets) {
    const ds = loadSingleLabel(name);
    const { vocab, train, test } = await hybridRows(ds, featurizer);
    const K = ds.classes.length;
    for (const m of sizes) {
      // Full data: the seeds are the trainer's fold seeds (which rows the holdout scores), not label samples.
      for (const seed of m >= train.n ? foldSeeds : seeds) {
        const idx = Int32Array.from({ length: train.n }, (_, i) => i);
        shuffleInPlace(idx, createRng(seed * 1000 + m));
        const pick = m >= train.n ? idx.sort() : idx.slice(0, m).sort();
        const sub = featureRowsSubset(train, pick);
        const y = Int32Array.from(pick, (i) => ds.train.y[i]!);
        const t = performance.now();
        const box: {
          cap?: {
            settings: (Setting & {
              losses: Float64Array;
              errors: Float64Array;
              oof: Float32Array;
              temperature: number;
            })[];
            mode: string;
            scoredY: Int32Array | Uint8Array;
          };
        } = {};
        const logits = new Map<string, Float32Array>();
        const key = (s: Setting): string => `${s.C}|${s.blockWeight}`;
        let plain: ClassifierModel | null = null;
        try {
          plain = trainHybridClassifier(
            sub,
            ds.classes,
            { task: "single-label", y },
            {
              featurizerId: "bench",
              vocabulary: vocab,
              ...(m >= train.n ? { seed } : {}),
              onSelection: (d) => {
                box.cap = d;
                for (const s of d.settings) logits.set(key(s), d.logitsAt(s, test));
                throw new Error("captured");
              },
            },
          ).model;
        } catch (e) {
          if (!box.cap) throw e;
        }
        const seconds = (performance.now() - t) / 1000;
        if (!box.cap) {
          // No cross-validation (a class with one row): no selection, every rule serves the same model.
          const f1 = (model: ClassifierModel, r: FeatureRows): number => {
            const P = predictProbaRows(model, r);
            const pred = Int32Array.from({ length: test.n }, (_, i) => argmaxRow(P, i, K));
            return evaluateSingleLabel(ds.test.y, pred, ds.classes).macro.f1 * 100;
          };
          const denseOnly = (r: FeatureRows): FeatureRows => ({ ...r, sparse: null });
          const dense = trainHybridClassifier(
            denseOnly(sub),
            ds.classes,
            { task: "single-label", y },
            {
              featurizerId: "bench",
            },
          ).model;
          const fixed: Dump = {
            set: name,
            m,
            seed,
            mode: "fixed",
            seconds,
            K,
            testY: ds.test.y,
            classes: ds.classes,
            settings: [],
            fixed: { hybrid: f1(plain!, test), dense: f1(dense, denseOnly(test)) },
          };
          if (dumpDir) fs.writeFileSync(path.join(dumpDir, `${name}-${m}-${seed}.v8`), v8.serialize(fixed));
          for (const line of evaluate(fixed)) fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
          continue;
        }
        const dump: Dump = {
          set: name,
          m,
          seed,
          mode: box.cap.mode,
          seconds,
          K,
          testY: ds.test.y,
          classes: ds.classes,
          settings: box.cap.settings.map((st) => ({ ...st, test: logits.get(key(st))! })),
          scoredY: box.cap.scoredY as Int32Array,
        };
        if (dumpDir) fs.writeFileSync(path.join(dumpDir, `${name}-${m}-${seed}.v8`), v8.serialize(dump));
        for (const line of evaluate(dump)) fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
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
