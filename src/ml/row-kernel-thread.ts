import os from "node:os";
import { Worker } from "node:worker_threads";

/**
 * One helper thread per process that runs the row kernels (src/ml/wasm/row-kernels.wat) on the second half of an
 * objective's rows while the calling thread runs the first half: training is synchronous, so the caller blocks on
 * Atomics until the helper is done. The helper instantiates the same module on the objective's shared memory; one
 * objective at a time holds it (a session), and a newer objective takes it over.
 *
 * The helper's source is inline plain JavaScript (no file to resolve under tsx, vitest or a bundler).
 */
const HELPER_SOURCE = `
const { parentPort } = require("node:worker_threads");
// A full collection once a session ends: this thread allocates next to nothing, so V8 would never collect here on
// its own, and every objective's shared memory (hundreds of MB on large fits) would stay alive with its last instance.
let collect = null;
try {
  require("node:v8").setFlagsFromString("--expose-gc");
  collect = require("node:vm").runInNewContext("gc");
} catch {}
parentPort.on("message", (message) => {
  serve(message);
  if (collect) setImmediate(collect);
});
function serve({ module, memory, control }) {
  const c = new Int32Array(control);
  const { forward, backward, residual, packTheta, assembleGrad } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(c, 1, 1);
  Atomics.notify(c, 1);
  for (;;) {
    Atomics.wait(c, 0, 0);
    const command = Atomics.load(c, 0);
    if (command === 1) forward(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
    else if (command === 2) backward(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
    else if (command === 4) {
      forward(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
      residual(c[12], c[13], c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22], c[23]);
    } else if (command === 5) packTheta(c[2], c[3], c[4], c[5], c[6]);
    else if (command === 6) assembleGrad(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
    Atomics.store(c, 0, 0);
    Atomics.store(c, 1, 1);
    Atomics.notify(c, 1);
    if (command === 3) break;
  }
}
`;

const FORWARD = 1;
const BACKWARD = 2;
const RELEASE = 3;
const FORWARD_RESIDUALS = 4;
const PACK_THETA = 5;
const ASSEMBLE_GRAD = 6;

/** What the helper can run on its half: each is an export of row-kernels.wat (forwardResiduals: forward, then residual). */
export type RowKernelCommand = "forward" | "backward" | "forwardResiduals" | "packTheta" | "assembleGrad";
const COMMANDS: Record<RowKernelCommand, number> = {
  forward: FORWARD,
  backward: BACKWARD,
  forwardResiduals: FORWARD_RESIDUALS,
  packTheta: PACK_THETA,
  assembleGrad: ASSEMBLE_GRAD,
};
/** How long the caller waits for the helper to start or answer before doing the work itself. */
const WAIT_MS = 10_000;

export interface RowKernelSession {
  /** Starts forward(args) on the helper; `finish()` blocks until it is done. False: the session was lost (do it yourself). */
  start(kind: RowKernelCommand, args: number[]): boolean;
  finish(): void;
  release(): void;
}

let helper: Worker | null | undefined;
let current: { control: Int32Array; released: boolean } | null = null;

function helperThread(): Worker | null {
  if (helper !== undefined) return helper;
  try {
    helper = new Worker(HELPER_SOURCE, { eval: true });
    // Never keeps the process alive, and a helper that dies leaves training to the calling thread.
    helper.unref();
    helper.on("error", () => {
      helper = null;
      current = null;
    });
    helper.on("exit", () => {
      helper = null;
      current = null;
    });
  } catch {
    helper = null;
  }
  return helper;
}

function waitDone(c: Int32Array): boolean {
  const deadline = Date.now() + WAIT_MS;
  while (Atomics.load(c, 1) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(c, 1, 0, left);
  }
  return true;
}

function releaseCurrent(): void {
  if (!current || current.released) return;
  current.released = true;
  const c = current.control;
  Atomics.store(c, 1, 0);
  Atomics.store(c, 0, RELEASE);
  Atomics.notify(c, 0);
  waitDone(c);
  current = null;
}

/** The helper thread when a second one can help (at least two cores, worker threads available), started on first use. */
function usableHelper(): Worker | null {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? helperThread() : null;
}

/**
 * Hands the helper thread to an objective whose kernels live in `memory` (shared), or null when there is no helper
 * (one core, no worker threads, or it failed to start in time); the caller then runs both halves itself.
 */
export function openRowKernelSession(module: WebAssembly.Module, memory: WebAssembly.Memory): RowKernelSession | null {
  const worker = usableHelper();
  if (!worker) return null;
  releaseCurrent();
  const control = new Int32Array(new SharedArrayBuffer(32 * 4));
  const mine = { control, released: false };
  worker.postMessage({ module, memory, control: control.buffer });
  if (!waitDone(control)) {
    helper = null;
    void worker.terminate();
    return null;
  }
  current = mine;
  let pending = false;
  return {
    start(kind, args) {
      if (current !== mine || mine.released) return false;
      Atomics.store(control, 1, 0);
      for (let i = 0; i < args.length; i++) control[2 + i] = args[i]!;
      Atomics.store(control, 0, COMMANDS[kind]);
      Atomics.notify(control, 0);
      pending = true;
      return true;
    },
    finish() {
      if (!pending) return;
      pending = false;
      if (!waitDone(control)) throw new Error("row kernels: the helper thread did not answer");
    },
    release() {
      if (current === mine) releaseCurrent();
    },
  };
}
