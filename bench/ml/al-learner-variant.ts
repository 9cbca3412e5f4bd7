/**
 * A learner variant in the AL simulation, paired with the stored production-learner curves of the same strategy and
 * seed (bench/results/ml-al-<set>.json, which must hold the current learner revision). Prints each run's AULC and
 * final macro-F1 beside the stored one, then the paired mean difference ± its standard error, and appends the curves
 * to --out (JSON lines).
 *
 *   npx tsx bench/ml/al-learner-variant.ts --dataset sst2 --strategies random,margin+diversity --seeds 5 \
 *     --dense-alone-up-to 200 --out /tmp/variant.jsonl
 * (--dense-alone-up-to: fitClassifier's denseAloneUpTo; absent: Infinity, the dense block alone always a candidate.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchArg as arg } from "../bench-args";
import { SINGLE_LABEL, type SingleLabelName } from "./datasets";
import { singleLabelPools } from "./single-label-pools";
import {
  simulateProductionQueue,
  type QueueConfig,
  type QueueCurve,
  type QueueStrategy,
} from "./simulate-production-queue";

const name = (arg("dataset") ?? "sst2") as SingleLabelName;
if (!(SINGLE_LABEL as readonly string[]).includes(name))
  throw new Error(`--dataset: one of ${SINGLE_LABEL.join(", ")}`);
const strategies = (arg("strategies") ?? "random,margin+diversity").split(",") as QueueStrategy[];
const seeds = Number(arg("seeds") ?? 5);
const denseAloneUpTo = Number(arg("dense-alone-up-to") ?? Infinity);
const out = arg("out");
const stored = JSON.parse(fs.readFileSync(path.resolve(`bench/results/ml-al-${name}.json`), "utf8")) as {
  learnerRevision: number;
  config: QueueConfig;
  curves: Record<string, Record<string, QueueCurve>>;
};

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

async function main(): Promise<void> {
  const { ds, d: dim, pool, test } = await singleLabelPools(name);
  const config: QueueConfig = { ...stored.config, denseAloneUpTo };
  console.log(
    `${name}: stored learner revision ${stored.learnerRevision}; variant denseAloneUpTo ${denseAloneUpTo}; load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const diffs: Record<string, { aulc: number[]; final: number[] }> = {};
  for (let seed = 0; seed < seeds; seed++)
    for (const st of strategies) {
      const base = stored.curves[st]?.[String(seed)];
      if (!base) continue;
      const t0 = performance.now();
      const c = simulateProductionQueue(pool, test, dim, ds.classes, st, seed, config);
      const d = (diffs[st] ??= { aulc: [], final: [] });
      d.aulc.push(mean(c.macroF1) - mean(base.macroF1));
      d.final.push(c.macroF1.at(-1)! - base.macroF1.at(-1)!);
      console.log(
        `${st} seed ${seed}: AULC ${mean(c.macroF1).toFixed(4)} (stored ${mean(base.macroF1).toFixed(4)}), final ${c.macroF1.at(-1)!.toFixed(3)} (stored ${base.macroF1.at(-1)!.toFixed(3)}), ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${os.loadavg()[0]!.toFixed(1)}`,
      );
      if (out)
        fs.appendFileSync(out, JSON.stringify({ dataset: name, strategy: st, seed, denseAloneUpTo, curve: c }) + "\n");
    }
  for (const [st, d] of Object.entries(diffs)) {
    const se = (v: number[]): number =>
      Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1) / v.length);
    console.log(
      `${st}: variant − stored over ${d.aulc.length} seeds: AULC ${mean(d.aulc).toFixed(4)} ± ${se(d.aulc).toFixed(4)}, final ${mean(d.final).toFixed(4)} ± ${se(d.final).toFixed(4)}`,
    );
  }
}
void main();
