import { describe, expect, it } from "vitest";
import { createRng } from "@/ml/rng";
import { buildLogisticObjective, trainLogisticRegression, type Targets } from "@/ml/train-logistic-regression";
import { parallelLogisticBlocks, trainingParallelism } from "@/server/compute/parallel-logistic-blocks";

// Enough rows for many row blocks, with an absent class (fixed bias) and a ragged dimension (d % 4 ≠ 0).
const n = 20_000;
const d = 23;
const classes = ["a", "b", "c", "absent"];
const rng = createRng(11);
const X = Float32Array.from({ length: n * d }, () => rng.next() * 2 - 1);
const y = Int32Array.from({ length: n }, (_, i) =>
  X[i * d]! + 0.3 * X[i * d + 1]! > 0.2 ? 0 : X[i * d + 2]! > 0 ? 1 : 2,
);
const Y = Uint8Array.from({ length: n * classes.length }, (_, j) =>
  j % 4 === 3 ? 0 : X[Math.floor(j / 4) * d + (j % 4)]! > 0 ? 1 : 0,
);

describe("training on helper threads", () => {
  for (const targets of [
    { task: "single-label", y },
    { task: "multi-label", Y },
  ] as Targets[]) {
    it(`gives the same bits as one thread, ${targets.task}`, () => {
      const serial = trainLogisticRegression(X, n, d, classes, targets, { classWeight: "balanced" });
      for (const threads of [2, 3]) {
        const stats = { helperBlocks: 0 };
        // The first evaluation waits for the helpers to start (however busy the machine), so they do part of the work.
        const parallel = trainLogisticRegression(X, n, d, classes, targets, {
          classWeight: "balanced",
          parallel: parallelLogisticBlocks(threads, stats, { startMs: 120_000 }),
        });
        expect(stats.helperBlocks).toBeGreaterThan(0);
        expect(parallel.optimizer.f).toBe(serial.optimizer.f);
        expect(parallel.optimizer.evaluations).toBe(serial.optimizer.evaluations);
        expect(Array.from(parallel.model.weights)).toEqual(Array.from(serial.model.weights));
        expect(Array.from(parallel.model.bias)).toEqual(Array.from(serial.model.bias));
      }
      expect(serial.optimizer.converged).toBe(true);
    });
  }

  it("evaluates the objective and its gradient identically at any point, and can be closed twice", () => {
    const targets: Targets = { task: "single-label", y };
    const one = buildLogisticObjective(X, n, d, classes, targets);
    const two = buildLogisticObjective(X, n, d, classes, targets, { parallel: parallelLogisticBlocks(2) });
    // The TypeScript loops on helper threads too (the default kernel is WebAssembly where the runtime has SIMD).
    const twoTs = buildLogisticObjective(X, n, d, classes, targets, {
      parallel: parallelLogisticBlocks(2),
      kernel: "typescript",
    });
    const theta = Float64Array.from(one.theta0, () => rng.next() - 0.5);
    const g1 = new Float64Array(theta.length);
    const g2 = new Float64Array(theta.length);
    const g3 = new Float64Array(theta.length);
    for (let round = 0; round < 3; round++) {
      theta[round] = theta[round]! + 0.1;
      const f = one.fg(theta, g1);
      expect(two.fg(theta, g2)).toBe(f);
      expect(Array.from(g2)).toEqual(Array.from(g1));
      expect(twoTs.fg(theta, g3)).toBe(f);
      expect(Array.from(g3)).toEqual(Array.from(g1));
    }
    two.close();
    two.close();
    twoTs.close();
  });

  it("takes rows already in shared memory (as training allocates them) with the same result", () => {
    const shared = new Float32Array(new SharedArrayBuffer(X.byteLength));
    shared.set(X);
    const targets: Targets = { task: "single-label", y };
    const objective = buildLogisticObjective(shared, n, d, classes, targets, { parallel: parallelLogisticBlocks(2) });
    const theta = Float64Array.from(objective.theta0, (_, i) => Math.sin(i) * 0.1);
    const g1 = new Float64Array(theta.length);
    const g2 = new Float64Array(theta.length);
    const one = buildLogisticObjective(X, n, d, classes, targets);
    expect(objective.fg(theta, g2)).toBe(one.fg(theta, g1));
    expect(Array.from(g2)).toEqual(Array.from(g1));
    objective.close();
  });

  it("stays on one thread for small fits or one core", () => {
    expect(trainingParallelism(1_000, 100, 4, 8)).toBeUndefined();
    expect(trainingParallelism(100_000, 200, 4, 1)).toBeUndefined();
    expect(trainingParallelism(10_000, 200, 10, 2)).toBeUndefined();
    expect(trainingParallelism(100_000, 200, 4, 2)).toBeTypeOf("function");
  });
});
