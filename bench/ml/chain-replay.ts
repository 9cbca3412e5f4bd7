/**
 * Does production's retrain chain lose quality by inheriting C and α? Replays the labeled order of stored AL runs
 * (bench/results/ml-al-<set>.json, curves with `chosen`) through fitClassifier at the same retrain points, once as
 * production does (warm start, C and α kept while the data grew < 20% since the last search) and once searching at
 * every retrain (the warm start without its selection record), and prints test macro-F1 per retrain, the mean over
 * retrains (AULC) and the fitting time of each rule. The labels are fixed, so only the learner's choices differ.
 *   npx tsx bench/ml/chain-replay.ts --dataset sst2 --strategies random,margin+diversity [--from 100]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ClassifierModel } from "@/ml/classifier-model";
import { fitClassifier, type Calibration } from "@/ml/fit-classifier";
import { subsetTargets } from "@/ml/train-classifier";
import { SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { singleLabelPools } from "./single-label-pools";
import { HYBRID_ID, testMacroF1, type QueueCurve } from "./simulate-production-queue";
import { benchArg as arg } from "../bench-args";

const name = (arg("dataset") ?? "sst2") as SingleLabelName;
if (!(SINGLE_LABEL as readonly string[]).includes(name))
  throw new Error(`--dataset: one of ${SINGLE_LABEL.join(", ")}`);
const strategies = (arg("strategies") ?? "random,margin+diversity").split(",");
const from = Number(arg("from") ?? 0);
const stored = JSON.parse(fs.readFileSync(path.resolve(`bench/results/ml-al-${name}.json`), "utf8")) as {
  curves: Record<string, Record<string, QueueCurve>>;
};

async function main(): Promise<void> {
  const { ds, d, pool, test } = await singleLabelPools(name);
  const K = ds.classes.length;
  for (const strategy of strategies) {
    for (const [seed, curve] of Object.entries(stored.curves[strategy] ?? {})) {
      if (!curve.chosen || !curve.settings) continue;
      const points = curve.settings.map((s) => s.labels);
      const out: Record<string, { f1: number[]; seconds: number; chosen: string[] }> = {};
      for (const rule of ["inherit", "search"] as const) {
        let model: ClassifierModel | undefined;
        let calibration: Calibration | null = null;
        const r = { f1: [] as number[], seconds: 0, chosen: [] as string[] };
        for (const [v, m] of points.entries()) {
          const idx = curve.chosen.slice(0, m);
          const X = new Float32Array(m * d);
          idx.forEach((i, row) => X.set(pool.X.subarray(i * d, i * d + d), row * d));
          const warm =
            model && rule === "search"
              ? {
                  ...model,
                  metrics: Object.fromEntries(Object.entries(model.metrics).filter(([k]) => k !== "selection")),
                }
              : model;
          const t0 = performance.now();
          const fit = fitClassifier(X, m, d, ds.classes, subsetTargets(pool.targets, Int32Array.from(idx), K), {
            featurizerId: HYBRID_ID,
            seed: Number(seed),
            warmStart: warm,
            warmStartCalibration: calibration,
            warmStartVersionId: model ? v : null,
            ngrams: { trainTexts: idx.map((i) => pool.texts[i]!), dfTexts: pool.texts },
          });
          r.seconds += (performance.now() - t0) / 1000;
          model = fit.model;
          calibration = fit.calibration;
          const sel = model.metrics.selection as { C: number; blockWeight: number | null };
          if (m >= from) {
            r.f1.push(testMacroF1(model, test, K));
            r.chosen.push(`${m}:${sel.C}/${sel.blockWeight}${model.metrics.selectionInheritedFrom ? "*" : ""}`);
          }
        }
        out[rule] = r;
      }
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const [a, b] = [out.inherit!, out.search!];
      console.log(
        `${name} ${strategy} seed ${seed}: AULC inherit ${mean(a.f1).toFixed(4)} search ${mean(b.f1).toFixed(4)} (Δ ${(mean(b.f1) - mean(a.f1)).toFixed(4)}), final ${a.f1.at(-1)!.toFixed(3)} / ${b.f1.at(-1)!.toFixed(3)}, fit time ${a.seconds.toFixed(0)} / ${b.seconds.toFixed(0)} s (load ${os.loadavg()[0]!.toFixed(1)})`,
      );
      console.log(`  inherit ${a.chosen.join(" ")}\n  search  ${b.chosen.join(" ")}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
