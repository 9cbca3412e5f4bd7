import os from "node:os";
import { Worker } from "node:worker_threads";
import { env } from "@/env";
import { runLogisticBlock, type LogisticKernelData } from "@/ml/logistic-kernel";
import { loadLogisticWeights, logisticWasmContext, runLogisticBlockWasm } from "@/ml/wasm-logistic-kernel";
import type { ParallelBlocks } from "@/ml/train-logistic-regression";

// Control words in shared memory: the evaluation's generation (−1 tells helpers to exit), the next block to claim,
// how many blocks are done, how many of all blocks so far the helpers computed, and how many helpers have started.
const GEN = 0;
const NEXT = 1;
const DONE = 2;
const HELPED = 3;
const READY = 4;
const CONTROL_WORDS = 5;

// A helper thread runs the kernel's own source (compiled JS at run time), so it needs no module loader: the same
// code works under tsx, vitest and a bundler. `__name` covers transpilers that wrap functions for their names.
const HELPER_SOURCE = `
const { workerData } = require("node:worker_threads");
const __name = (f) => f;
const runBlock = ${runLogisticBlock.toString()};
const runBlockWasm = ${runLogisticBlockWasm.toString()};
const wasmContext = ${logisticWasmContext.toString()};
const { data, ctrl } = workerData;
const z = new Float64Array(data.K);
const wasm = data.wasm ? wasmContext(data.wasm) : null;
let gen = Atomics.load(ctrl, ${GEN});
Atomics.add(ctrl, ${READY}, 1);
Atomics.notify(ctrl, ${READY});
for (;;) {
  Atomics.wait(ctrl, ${GEN}, gen);
  gen = Atomics.load(ctrl, ${GEN});
  if (gen < 0) break;
  for (let blk = Atomics.add(ctrl, ${NEXT}, 1); blk < data.blocks; blk = Atomics.add(ctrl, ${NEXT}, 1)) {
    if (wasm) runBlockWasm(data, wasm, blk);
    else runBlock(data, blk, z);
    Atomics.add(ctrl, ${HELPED}, 1);
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
}
`;

/**
 * Runs the logistic objective's row blocks on `threads` threads: this one plus helpers that share the data through
 * SharedArrayBuffers. Each evaluation stays synchronous for the optimizer — the calling thread claims blocks too,
 * then waits (Atomics.wait) for the helpers' last ones — and the per-block partial sums make the result
 * bit-identical to a one-thread fit. Helpers live for one fit; `close` ends them. The first evaluation waits up to
 * `startMs` for the helpers to start (tens of milliseconds on an idle machine), so that a busy machine's slow thread
 * start does not leave a whole short fit to this thread; a helper that starts later joins at the next evaluation.
 */
export function parallelLogisticBlocks(
  threads: number,
  stats?: { helperBlocks: number },
  options: { startMs?: number } = {},
): ParallelBlocks {
  const startMs = options.startMs ?? 1_000;
  return (data: LogisticKernelData) => {
    const helpers = Math.max(0, Math.min(threads, data.blocks) - 1);
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    let started = false;
    // With the WebAssembly kernel the rows live in its shared memory; the unshared X is not sent (it would be copied).
    const shared = data.wasm ? { ...data, X: new Float32Array(0) } : data;
    const workers = Array.from({ length: helpers }, () => {
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { data: shared, ctrl } });
      // A helper that dies mid-fit leaves its claimed block undone; the wait below then fails instead of hanging.
      worker.on("error", () => undefined);
      worker.unref();
      return worker;
    });
    const z = new Float64Array(data.K);
    const wasm = data.wasm ? logisticWasmContext(data.wasm) : null;
    return {
      run() {
        if (!started) {
          started = true;
          const deadline = Date.now() + startMs;
          for (
            let ready = Atomics.load(ctrl, READY);
            ready < helpers && Date.now() < deadline;
            ready = Atomics.load(ctrl, READY)
          ) {
            Atomics.wait(ctrl, READY, ready, Math.max(1, deadline - Date.now()));
          }
        }
        // Helpers read the weights from the module's memory: they are in place before the generation is announced.
        if (wasm) loadLogisticWeights(data, wasm);
        Atomics.store(ctrl, DONE, 0);
        Atomics.store(ctrl, NEXT, 0);
        Atomics.add(ctrl, GEN, 1);
        Atomics.notify(ctrl, GEN);
        for (let blk = Atomics.add(ctrl, NEXT, 1); blk < data.blocks; blk = Atomics.add(ctrl, NEXT, 1)) {
          if (wasm) runLogisticBlockWasm(data, wasm, blk);
          else runLogisticBlock(data, blk, z);
          Atomics.add(ctrl, DONE, 1);
        }
        for (let done = Atomics.load(ctrl, DONE); done < data.blocks; done = Atomics.load(ctrl, DONE)) {
          if (Atomics.wait(ctrl, DONE, done, 60_000) === "timed-out" && Atomics.load(ctrl, DONE) === done) {
            throw new Error("Training helper threads stopped answering");
          }
        }
      },
      close() {
        if (stats) stats.helperBlocks += Atomics.exchange(ctrl, HELPED, 0);
        Atomics.store(ctrl, GEN, -1);
        Atomics.notify(ctrl, GEN);
        for (const worker of workers) void worker.terminate();
      },
    };
  };
}

// Below this much work per evaluation (rows × classes × dims) starting helper threads costs more than it saves. The
// WebAssembly objective made an evaluation ~7× cheaper, so the bar rose from 5M by about that: fits of 6M and 10M
// (3k × 200 × 10, 10k × 200 × 5, 23–28 evaluations) took 340 / 484 ms on one thread and 452 / 648 ms on two
// (min of 3, load 11 on 2 cores).
const PARALLEL_MIN_WORK = 32_000_000;

/** The parallel runner for a fit of this size, or undefined to fit on this thread (small sets, one core). */
export function trainingParallelism(
  n: number,
  d: number,
  K: number,
  threads: number = defaultThreads(),
): ParallelBlocks | undefined {
  return threads > 1 && n * d * K >= PARALLEL_MIN_WORK ? parallelLogisticBlocks(threads) : undefined;
}

function defaultThreads(): number {
  return env().TRAIN_THREADS ?? Math.min(8, os.availableParallelism());
}
