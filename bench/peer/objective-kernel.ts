// The dense logistic objective's cost per evaluation (f + ∇f), TypeScript loops against the WebAssembly kernel, on one
// thread and two, at bench:peer's shapes. Interleaved rounds (every variant once per round), minimum per variant;
// the load average is printed beside each round. The two kernels give the same bits (checked here on every round).
//   nice -n 10 npx tsx bench/peer/objective-kernel.ts [--rounds 5] [--evals 3] [--out bench/results/objective-kernel.md]
import fs from "node:fs";
import os from "node:os";
import { buildLogisticObjective, type LogisticObjective } from "@/ml/train-logistic-regression";
import { parallelLogisticBlocks } from "@/server/compute/parallel-logistic-blocks";
import { blobs } from "./peer-data";
import { benchArg as arg } from "../bench-args";

const ROUNDS = Number(arg("rounds") ?? 5);
const EVALS = Number(arg("evals") ?? 3);
const OUT = arg("out");
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(" / ");

const shapes = [
  { n: 100_000, d: 384, K: 10 },
  { n: 10_000, d: 200, K: 77 },
  { n: 20_000, d: 100, K: 2 },
];
const variants = [
  { name: "TypeScript, 1 thread", kernel: "typescript", threads: 1 },
  { name: "WebAssembly, 1 thread", kernel: "auto", threads: 1 },
  { name: "TypeScript, 2 threads", kernel: "typescript", threads: 2 },
  { name: "WebAssembly, 2 threads", kernel: "auto", threads: 2 },
] as const;

const lines: string[] = [];
const roundLines: string[] = [];
const say = (m: string) => {
  console.log(m);
  lines.push(m);
};
say(`# Dense logistic objective per evaluation: TypeScript vs WebAssembly (bench/peer/objective-kernel.ts)`);
say("");
say(
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; ${ROUNDS} interleaved rounds,`,
);
say(`each variant ${EVALS} evaluations per round; times are the minimum per evaluation over all rounds (ms).`);
say(`Load average (1 / 5 / 15 min) at the start: ${load()}.`);
say("");
say(`| n × d × K | ${variants.map((v) => v.name).join(" | ")} | WASM ÷ TS, 1 thread | 2 threads |`);
say(`|---|${variants.map(() => "---|").join("")}---|---|`);
for (const { n, d, K } of shapes) {
  const { X, y } = blobs(n, d, K, 7, 0.4);
  const classes = Array.from({ length: K }, (_, k) => `c${k}`);
  const objectives: LogisticObjective[] = variants.map((v) =>
    buildLogisticObjective(
      X,
      n,
      d,
      classes,
      { task: "single-label", y },
      {
        kernel: v.kernel,
        parallel: v.threads > 1 ? parallelLogisticBlocks(v.threads) : undefined,
      },
    ),
  );
  const theta = Float64Array.from(objectives[0]!.theta0, (_, i) => Math.sin(i) * 0.05);
  const grads = variants.map(() => new Float64Array(theta.length));
  const best = variants.map(() => Infinity);
  const rounds: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const fs_: number[] = [];
    const times = variants.map((_, v) => {
      let min = Infinity;
      for (let e = 0; e < EVALS; e++) {
        const t = performance.now();
        fs_[v] = objectives[v]!.fg(theta, grads[v]!);
        min = Math.min(min, performance.now() - t);
      }
      best[v] = Math.min(best[v]!, min);
      return min;
    });
    const same = fs_.every((f) => f === fs_[0]) && grads.every((g) => g.every((x, i) => x === grads[0]![i]));
    if (!same) throw new Error(`${n} × ${d} × ${K}: the variants disagree`);
    rounds.push(`round ${r + 1}: ${times.map((t) => t.toFixed(0)).join(" / ")} ms (load ${load()})`);
  }
  for (const o of objectives) o.close();
  for (const line of rounds) {
    console.log(`  ${n} × ${d} × ${K} ${line}`);
    roundLines.push(`- ${n.toLocaleString("en-US")} × ${d} × ${K}, ${line}`);
  }
  say(
    `| ${n.toLocaleString("en-US")} × ${d} × ${K} | ${best.map((t) => t.toFixed(1)).join(" | ")} | ` +
      `${(best[0]! / best[1]!).toFixed(2)}× faster | ${(best[2]! / best[3]!).toFixed(2)}× faster |`,
  );
}
say("");
say(`Load average at the end: ${load()}. f and ∇f were bit-identical across the four variants in every round.`);
say("");
say(`Every round (${variants.map((v) => v.name).join(" / ")}, minimum of its ${EVALS} evaluations):`);
say("");
for (const line of roundLines) say(line);
if (OUT) fs.writeFileSync(OUT, `${lines.join("\n")}\n`);
