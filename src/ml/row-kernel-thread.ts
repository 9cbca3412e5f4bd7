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
/**
 * The start of both helpers' sources: each message opens a session (the source's own `serve`), and a full collection
 * follows its end — the thread allocates next to nothing, so V8 would never collect there on its own, and every
 * session's shared memory (hundreds of MB on large fits) would stay alive with its last instance.
 */
const HELPER_PREAMBLE = `
const { parentPort } = require("node:worker_threads");
let collect = null;
try {
  require("node:v8").setFlagsFromString("--expose-gc");
  collect = require("node:vm").runInNewContext("gc");
} catch {}
parentPort.on("message", (message) => {
  serve(message);
  if (collect) setImmediate(collect);
});
`;

const HELPER_SOURCE = `${HELPER_PREAMBLE}
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

/** A helper thread started on first use, and the session (one memory's work) it serves now. */
interface Helper {
  source: string;
  worker: Worker | null | undefined;
  current: { control: Int32Array; released: boolean } | null;
}
const rowHelper: Helper = { source: HELPER_SOURCE, worker: undefined, current: null };

function helperThread(h: Helper): Worker | null {
  if (h.worker !== undefined) return h.worker;
  try {
    const worker = new Worker(h.source, { eval: true });
    h.worker = worker;
    // Never keeps the process alive, and a helper that dies leaves training to the calling thread.
    worker.unref();
    worker.on("error", () => {
      h.worker = null;
      h.current = null;
    });
    worker.on("exit", () => {
      h.worker = null;
      h.current = null;
    });
  } catch {
    h.worker = null;
  }
  return h.worker;
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

function releaseCurrent(h: Helper, command: number): void {
  const cur = h.current;
  if (!cur || cur.released) return;
  cur.released = true;
  const c = cur.control;
  Atomics.store(c, 1, 0);
  Atomics.store(c, 0, command);
  Atomics.notify(c, 0);
  waitDone(c);
  h.current = null;
}

/** The helper thread when a second one can help (at least two cores, worker threads available), started on first use. */
function usableHelper(h: Helper): Worker | null {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? helperThread(h) : null;
}

/**
 * Hands helper `h` a session on `memory` (message: what the helper's serve() reads besides `control`): releases the
 * session it served, posts the message, waits until the helper has instantiated the module. Null when there is no
 * helper or it failed to start in time.
 */
function openSession(
  h: Helper,
  message: Record<string, unknown>,
  controlBytes: number,
  releaseCommand: number,
): { control: Int32Array; mine: { control: Int32Array; released: boolean } } | null {
  const worker = usableHelper(h);
  if (!worker) return null;
  releaseCurrent(h, releaseCommand);
  const control = new Int32Array(new SharedArrayBuffer(controlBytes));
  const mine = { control, released: false };
  worker.postMessage({ ...message, control: control.buffer });
  if (!waitDone(control)) {
    h.worker = null;
    void worker.terminate();
    return null;
  }
  h.current = mine;
  return { control, mine };
}

/**
 * Hands the helper thread to an objective whose kernels live in `memory` (shared), or null when there is no helper
 * (one core, no worker threads, or it failed to start in time); the caller then runs both halves itself.
 */
export function openRowKernelSession(module: WebAssembly.Module, memory: WebAssembly.Memory): RowKernelSession | null {
  const opened = openSession(rowHelper, { module, memory }, 32 * 4, RELEASE);
  if (!opened) return null;
  const { control, mine } = opened;
  let pending = false;
  return {
    start(kind, args) {
      if (rowHelper.current !== mine || mine.released) return false;
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
      if (rowHelper.current === mine) releaseCurrent(rowHelper, RELEASE);
    },
  };
}

const VECTOR_ARGS_AT = 16;
const VECTOR_MAX_ARGS = 16;
const VECTOR_RESULTS_AT = VECTOR_ARGS_AT + VECTOR_MAX_ARGS * 8;
const VECTOR_MAX_RESULTS = 4;
const VECTOR_RELEASE = -1;

/**
 * A second helper thread for the optimizer's vector kernels (src/ml/wasm/vector-kernels.wat, lbfgs-vectors.ts): it
 * runs one export of a module instantiated on an optimizer's shared memory over the second half of θ while the calling
 * thread runs the first. A thread of its own, so the objective's session on the row kernels' helper is never taken
 * over between evaluations; the two never run at once (the calling thread blocks on each). Arguments and results are
 * f64 (addresses are exact in them).
 */
const VECTOR_HELPER_SOURCE = `${HELPER_PREAMBLE}
function serve({ module, memory, control, names }) {
  const c = new Int32Array(control, 0, 4);
  const args = new Float64Array(control, ${VECTOR_ARGS_AT}, ${VECTOR_MAX_ARGS});
  const res = new Float64Array(control, ${VECTOR_RESULTS_AT}, ${VECTOR_MAX_RESULTS});
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = names.map((name) => exports[name]);
  Atomics.store(c, 1, 1);
  Atomics.notify(c, 1);
  for (;;) {
    Atomics.wait(c, 0, 0);
    const command = Atomics.load(c, 0);
    if (command > 0) {
      const n = c[2];
      const a = [];
      for (let i = 0; i < n; i++) a.push(args[i]);
      const r = fns[command - 1](...a);
      if (typeof r === "number") res[0] = r;
      else if (r) for (let i = 0; i < r.length; i++) res[i] = r[i];
    }
    Atomics.store(c, 0, 0);
    Atomics.store(c, 1, 1);
    Atomics.notify(c, 1);
    if (command === -1) break;
  }
}
`;

const vectorHelper: Helper = { source: VECTOR_HELPER_SOURCE, worker: undefined, current: null };

export interface VectorKernelSession {
  /** Starts export `names[fn]`(args) on the helper; false: the session was lost (do it yourself). */
  start(fn: number, args: number[]): boolean;
  /** Blocks until the helper is done; its results (a scalar export's in [0]). */
  finish(): Float64Array;
  release(): void;
}

/**
 * Hands the vector helper thread an optimizer's `memory` (shared) and the exports of `module` it may run, or null
 * when there is no helper (the caller then runs both halves itself).
 */
export function openVectorKernelSession(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  names: string[],
): VectorKernelSession | null {
  const opened = openSession(
    vectorHelper,
    { module, memory, names },
    VECTOR_RESULTS_AT + VECTOR_MAX_RESULTS * 8,
    VECTOR_RELEASE,
  );
  if (!opened) return null;
  const { control, mine } = opened;
  const args = new Float64Array(control.buffer, VECTOR_ARGS_AT, VECTOR_MAX_ARGS);
  const results = new Float64Array(control.buffer, VECTOR_RESULTS_AT, VECTOR_MAX_RESULTS);
  let pending = false;
  return {
    start(fn, a) {
      if (vectorHelper.current !== mine || mine.released) return false;
      if (a.length > VECTOR_MAX_ARGS)
        throw new Error(`vector kernels: ${a.length} arguments (at most ${VECTOR_MAX_ARGS})`);
      Atomics.store(control, 1, 0);
      args.set(a);
      control[2] = a.length;
      Atomics.store(control, 0, fn + 1);
      Atomics.notify(control, 0);
      pending = true;
      return true;
    },
    finish() {
      if (pending) {
        pending = false;
        if (!waitDone(control)) throw new Error("vector kernels: the helper thread did not answer");
      }
      return results;
    },
    release() {
      if (vectorHelper.current === mine) releaseCurrent(vectorHelper, VECTOR_RELEASE);
    },
  };
}
