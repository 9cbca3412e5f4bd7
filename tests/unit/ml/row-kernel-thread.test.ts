import os from "node:os";
import { describe, expect, it } from "vitest";
import { buildHybridObjective } from "@/ml/hybrid-logistic-objective";
import { rowKernelsAvailable } from "@/ml/wasm-row-kernels";

const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;

describe("row kernels' helper thread", () => {
  // Every objective's kernels live in a shared memory the helper thread also instantiates. The helper allocates next
  // to nothing, so without a collection of its own when a session ends it kept every memory alive: the worker
  // process grew by each large fit's kernel memory (by ~100 MB per fit here) until that thread happened to collect.
  it.skipIf(cores < 2 || !rowKernelsAvailable())(
    "lets each finished objective's memory go (the process does not grow by every fit's kernels)",
    async () => {
      const n = 4000;
      const d = 8;
      const V = 200_000;
      const K = 20;
      const perRow = 1000;
      const step = V / perRow;
      const indptr = Int32Array.from({ length: n + 1 }, (_, i) => i * perRow);
      const indices = new Int32Array(n * perRow);
      for (let i = 0; i < n; i++) for (let j = 0; j < perRow; j++) indices[i * perRow + j] = j * step + (i % step);
      const values = new Float32Array(n * perRow).fill(1 / Math.sqrt(perRow));
      const dense = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i));
      const y = Int32Array.from({ length: n }, (_, i) => i % K);
      const classes = Array.from({ length: K }, (_, k) => `c${k}`);
      // x, cols, vals, θ, grad and the second half's grad (f32), θ's and the gradient's n-gram rows (f64): ~144 MB.
      const kernelBytes = n * perRow * 8 + V * K * 4 * 3 + V * K * 8 * 2;
      const rssAfter: number[] = [];
      for (let t = 0; t < 10; t++) {
        const o = buildHybridObjective(
          { n, d, dense, sparse: { rows: n, cols: V, indptr, indices, values } },
          classes,
          { task: "single-label", y },
          { l2: 1e-3, kernel: "wasm", split: "always" },
        );
        o.fg(o.theta0, new Float64Array(o.theta0.length));
        o.dispose();
        (globalThis as { gc?: () => void }).gc?.();
        await new Promise((r) => setTimeout(r, 30));
        rssAfter.push(process.memoryUsage().rss);
      }
      // Leaking, the resident size climbed by ~kernelBytes per objective until the helper happened to collect (after
      // ~8 objectives here, ~35 in a 40-fit selection on long texts: +4.5 GB); released, it stays within a few.
      expect(Math.max(...rssAfter.slice(2)) - rssAfter[1]!).toBeLessThan(3 * kernelBytes);
    },
    120_000,
  );
});
