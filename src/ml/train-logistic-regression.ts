import { minimizeLbfgs, type LbfgsResult, type ObjectiveFn } from "@/ml/lbfgs";
import type { LinearModel, Task } from "@/ml/linear-model";
import { buildPreconditioner } from "@/ml/dense-preconditioner";
import { featureStandardization, standardizationFromSums } from "@/ml/feature-standardization";
import { logisticBlocks, runLogisticBlock, type LogisticKernelData } from "@/ml/logistic-kernel";
import {
  createLogisticWasm,
  loadLogisticWeights,
  logisticWasmContext,
  runLogisticBlockWasm,
  wasmFeatureSums,
} from "@/ml/wasm-logistic-kernel";

export type Targets =
  | { task: "single-label"; /** [n] class index into classes */ y: Int32Array }
  | { task: "multi-label"; /** [n × K] 0/1 */ Y: Uint8Array };

export interface TrainOptions {
  /** L2 penalty λ on weights (not the intercept); loss = mean weighted CE + λ/2‖W‖². Default 1e-3. */
  l2?: number;
  /** "balanced" weights samples by n / (K · count(class)) (per label for multi-label). Default "none". */
  classWeight?: "none" | "balanced";
  /** Standardize features (stored in the model). Default true. */
  standardize?: boolean;
  /** Previous model to start from (matched by class name; standardization is re-expressed exactly). */
  warmStart?: LinearModel;
  /**
   * With warmStart: the previous fit's optimizer.scale (its last inverse-curvature estimate), so the first step has
   * the right length; a retrain after a few new labels then takes a handful of evaluations instead of spending
   * several doubling a step sized for a cold start.
   */
  warmStartScale?: number;
  maxIter?: number;
  gtol?: number;
  /** Precondition L-BFGS with the features' second moments (default true; false: plain L-BFGS). */
  precondition?: boolean;
  /** Optional per-sample weights [n], multiplied with class weights. */
  sampleWeight?: Float32Array;
  /** Runs the row blocks in other threads (src/server/compute/parallel-logistic-blocks.ts); the result is bit-identical. */
  parallel?: ParallelBlocks;
  /**
   * "auto" (default): the row loops in WebAssembly SIMD where the runtime has it (src/ml/wasm/logistic-kernels.wat,
   * the same bits, ~3–4× faster); "typescript": runLogisticBlock, the reference.
   */
  kernel?: "auto" | "typescript";
}

/** Given the kernel data once: `run` fills every block's partial sums for the current W, b; `close` frees threads. */
export type ParallelBlocks = (data: LogisticKernelData) => { run(): void; close(): void };

function serialBlocks(data: LogisticKernelData): { run(): void; close(): void } {
  const z = new Float64Array(data.K);
  const wasm = data.wasm ? logisticWasmContext(data.wasm) : null;
  return {
    run: () => {
      if (wasm) loadLogisticWeights(data, wasm);
      for (let blk = 0; blk < data.blocks; blk++) {
        if (wasm) runLogisticBlockWasm(data, wasm, blk);
        else runLogisticBlock(data, blk, z);
      }
    },
    close: () => undefined,
  };
}

export interface TrainResult {
  model: LinearModel;
  optimizer: Omit<LbfgsResult, "x">;
}

/**
 * What a model keeps of its fit (model.metrics.optimizer): the counts, why it stopped, the loss, and the last
 * inverse-curvature scale, which the next warm retrain reuses for its first step (fittedScale, warmStartScale).
 */
export function optimizerFacts(o: TrainResult["optimizer"]) {
  return {
    iterations: o.iterations,
    evaluations: o.evaluations,
    converged: o.converged,
    reason: o.reason,
    loss: o.f,
    scale: Number.isFinite(o.scale) && o.scale > 0 ? o.scale : null,
  };
}

/** The scale a model's fit left in model.metrics.optimizer (optimizerFacts), if it has a usable one. */
export function fittedScale(model: { metrics: Record<string, unknown> }): number | undefined {
  const scale = (model.metrics.optimizer as { scale?: unknown } | null | undefined)?.scale;
  return typeof scale === "number" && Number.isFinite(scale) && scale > 0 ? scale : undefined;
}

/** Bias given to classes that have no training examples (or labels with no positives): never predicted. */
const ABSENT_BIAS = -1e4;

export interface LogisticObjective {
  /** Mean weighted loss + λ/2‖W‖² and its gradient at θ = [W (K × d, standardized space), b (K)]. */
  fg: ObjectiveFn;
  theta0: Float64Array;
  finalize(theta: Float64Array): LinearModel;
  /** Ends the parallel runner's threads, if any. */
  close(): void;
  /**
   * Applies (C + δI)⁻¹ per class, C the second moments of [standardized row, 1] on a sample of rows (see
   * LbfgsOptions); undefined when the options turn preconditioning off.
   */
  precondition: ((v: Float64Array) => void) | undefined;
}

/** The training objective, exposed so tests can check its gradient against finite differences. */
export function buildLogisticObjective(
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  targets: Targets,
  options: TrainOptions = {},
): LogisticObjective {
  const K = classes.length;
  if (n <= 0) throw new Error("trainLogisticRegression: no training examples");
  if (K <= 0) throw new Error("trainLogisticRegression: no classes");
  if (X.length < n * d) throw new Error(`trainLogisticRegression: X has ${X.length} values, expected ${n} × ${d}`);
  const blocks = logisticBlocks(n);
  // The WebAssembly kernel keeps its own copy of the rows, so the TypeScript loops' shared copy is not made; its
  // feature sums give the standardization and show any non-finite feature (the loop below then names the row).
  const wasm = options.kernel === "typescript" ? null : createLogisticWasm(X, n, d, K, blocks);
  const sums = wasm ? wasmFeatureSums(wasm, n, d) : null;
  if (!sums || !sums.s2.every(Number.isFinite))
    for (let i = 0; i < n * d; i++)
      if (!Number.isFinite(X[i]!))
        throw new Error(`trainLogisticRegression: non-finite feature at row ${Math.floor(i / d)}`);
  const task: Task = targets.task;
  const l2 = options.l2 ?? 1e-3;

  const { mean, scale } = !(options.standardize ?? true)
    ? { mean: new Float32Array(d), scale: new Float32Array(d).fill(1) }
    : sums
      ? standardizationFromSums(sums.s, sums.s2, n, d)
      : featureStandardization(X, n, d);

  // Which outputs are trainable: single-label needs ≥1 example of the class; multi-label needs both signs.
  const counts = new Float64Array(K);
  if (targets.task === "single-label") {
    for (let i = 0; i < n; i++) {
      const c = targets.y[i]!;
      if (c < 0 || c >= K) throw new Error(`trainLogisticRegression: label index ${c} out of range at row ${i}`);
      counts[c] = counts[c]! + 1;
    }
  } else {
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) if (targets.Y[i * K + k]) counts[k] = counts[k]! + 1;
  }
  const fixedBias = new Float64Array(K).fill(NaN); // NaN = trainable
  for (let k = 0; k < K; k++) {
    if (counts[k] === 0) fixedBias[k] = ABSENT_BIAS;
    else if (task === "multi-label" && counts[k] === n) fixedBias[k] = -ABSENT_BIAS;
  }
  const present = Array.from({ length: K }, (_, k) => k).filter((k) => Number.isNaN(fixedBias[k]!));

  // Sample weights (normalized to mean 1 per output for multi-label / overall for single-label).
  const presentCount = present.length || 1;
  let w1: Float64Array | null = null; // single-label [n]
  let wPos: Float64Array | null = null; // multi-label [K]
  let wNeg: Float64Array | null = null;
  if (task === "single-label") {
    w1 = new Float64Array(n).fill(1);
    if (options.classWeight === "balanced") {
      const y = (targets as { y: Int32Array }).y;
      for (let i = 0; i < n; i++) w1[i] = n / (presentCount * counts[y[i]!]!);
    }
    if (options.sampleWeight) for (let i = 0; i < n; i++) w1[i] = w1[i]! * options.sampleWeight[i]!;
    let tot = 0;
    for (let i = 0; i < n; i++) tot += w1[i]!;
    for (let i = 0; i < n; i++) w1[i] = (w1[i]! * n) / tot;
  } else {
    wPos = new Float64Array(K).fill(1);
    wNeg = new Float64Array(K).fill(1);
    if (options.classWeight === "balanced") {
      for (let k = 0; k < K; k++) {
        if (counts[k]! > 0 && counts[k]! < n) {
          wPos[k] = n / (2 * counts[k]!);
          wNeg[k] = n / (2 * (n - counts[k]!));
        }
      }
    }
  }

  // Parameters θ = [W (K × d, standardized space), b (K)].
  const P = K * d + K;
  const theta0 = new Float64Array(P);
  if (options.warmStart) {
    const prev = options.warmStart;
    if (prev.dim !== d) throw new Error(`trainLogisticRegression: warm start has dim ${prev.dim}, data has ${d}`);
    if (prev.task !== task) throw new Error("trainLogisticRegression: warm start task differs");
    for (let k = 0; k < K; k++) {
      const pk = prev.classes.indexOf(classes[k]!);
      if (pk < 0 || prev.bias[pk]! <= ABSENT_BIAS / 2 || prev.bias[pk]! >= -ABSENT_BIAS / 2) continue;
      // Same function in the new standardization: w_new = w_old / s_old · s_new; b_new = b_old + Σ w_old/s_old (m_new − m_old).
      let bias = prev.bias[pk]!;
      for (let j = 0; j < d; j++) {
        const wRaw = prev.weights[pk * d + j]! / prev.scale[j]!;
        theta0[k * d + j] = wRaw * scale[j]!;
        bias += wRaw * (mean[j]! - prev.mean[j]!);
      }
      theta0[K * d + k] = bias;
    }
  }

  // Kernel inputs and per-block outputs; in shared memory when a parallel runner will read them from other threads.
  const parallel = options.parallel ?? null;
  const f64 = (length: number) =>
    parallel ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
  const shareOf = <T extends Float32Array | Int32Array | Uint8Array>(a: T, make: (buf: SharedArrayBuffer) => T): T => {
    if (!parallel || a.buffer instanceof SharedArrayBuffer) return a;
    const copy = make(new SharedArrayBuffer(a.byteLength));
    copy.set(a as never);
    return copy;
  };
  const kernel: LogisticKernelData = {
    X: wasm ? X.subarray(0, n * d) : shareOf(X.subarray(0, n * d), (buf) => new Float32Array(buf)),
    n,
    d,
    K,
    blocks,
    W: f64(K * d),
    b: f64(K),
    trainable: shareOf<Uint8Array>(
      Uint8Array.from(fixedBias, (v) => (Number.isNaN(v) ? 1 : 0)),
      (buf) => new Uint8Array(buf),
    ),
    fixedZ: f64(K),
    y: targets.task === "single-label" ? shareOf(targets.y, (buf) => new Int32Array(buf)) : null,
    w1: null,
    Y: targets.task === "multi-label" ? shareOf(targets.Y, (buf) => new Uint8Array(buf)) : null,
    wPos: null,
    wNeg: null,
    partG: f64(blocks * K * d),
    partR: f64(blocks * K),
    partL: f64(blocks),
    wasm,
  };
  for (let k = 0; k < K; k++) kernel.fixedZ[k] = Number.isNaN(fixedBias[k]!) ? 0 : fixedBias[k]!;
  const toShared = (a: Float64Array | null) => {
    if (!a) return null;
    const out = f64(a.length);
    out.set(a);
    return out;
  };
  kernel.w1 = toShared(w1);
  kernel.wPos = toShared(wPos);
  kernel.wNeg = toShared(wNeg);
  const runBlocks = parallel ? parallel(kernel) : serialBlocks(kernel);

  const G = new Float64Array(K * d);
  const rsum = new Float64Array(K);

  const fg: ObjectiveFn = (theta, grad) => {
    // Fold standardization into effective weights so X is never copied.
    const { W, b } = kernel;
    for (let k = 0; k < K; k++) {
      let shift = 0;
      for (let j = 0; j < d; j++) {
        const w = theta[k * d + j]! / scale[j]!;
        W[k * d + j] = w;
        shift += w * mean[j]!;
      }
      b[k] = Number.isNaN(fixedBias[k]!) ? theta[K * d + k]! - shift : fixedBias[k]!;
    }
    runBlocks.run();
    G.fill(0);
    rsum.fill(0);
    let loss = 0;
    for (let blk = 0; blk < blocks; blk++) {
      loss += kernel.partL[blk]!;
      const go = blk * K * d;
      for (let i = 0; i < K * d; i++) G[i] = G[i]! + kernel.partG[go + i]!;
      for (let k = 0; k < K; k++) rsum[k] = rsum[k]! + kernel.partR[blk * K + k]!;
    }
    let reg = 0;
    for (let k = 0; k < K; k++) {
      const trainable = Number.isNaN(fixedBias[k]!);
      for (let j = 0; j < d; j++) {
        const idx = k * d + j;
        const w = theta[idx]!;
        reg += w * w;
        grad[idx] = trainable ? (G[idx]! - mean[j]! * rsum[k]!) / scale[j]! / n + l2 * w : l2 * w;
      }
      grad[K * d + k] = trainable ? rsum[k]! / n : 0;
    }
    return loss / n + 0.5 * l2 * reg;
  };

  const finalize = (theta: Float64Array): LinearModel => {
    const weights = new Float32Array(K * d);
    const bias = new Float32Array(K);
    for (let i = 0; i < K * d; i++) weights[i] = theta[i]!;
    // Absent classes have zero weights, so their standardized-space bias equals the fixed effective bias.
    for (let k = 0; k < K; k++) bias[k] = Number.isNaN(fixedBias[k]!) ? theta[K * d + k]! : fixedBias[k]!;
    return { task, classes: [...classes], dim: d, weights, bias, mean, scale, temperature: 1 };
  };
  const precondition = (options.precondition ?? true) ? buildPreconditioner(X, n, d, K, mean, scale, l2) : undefined;
  return { fg, theta0, finalize, close: () => runBlocks.close(), precondition };
}

/**
 * Multinomial (softmax) logistic regression for single-label and one-vs-rest sigmoid regression for multi-label,
 * with intercept, L2, optional balanced class weights, fitted by L-BFGS to a gradient tolerance.
 * Deterministic: zero (or warm) initialisation, no randomness.
 * X: Float32Array [n × d] row-major.
 */
export function trainLogisticRegression(
  X: Float32Array,
  n: number,
  d: number,
  classes: string[],
  targets: Targets,
  options: TrainOptions = {},
): TrainResult {
  const { fg, theta0, finalize, close, precondition } = buildLogisticObjective(X, n, d, classes, targets, options);
  let res: LbfgsResult;
  try {
    const initialScale = options.warmStart ? options.warmStartScale : undefined;
    res = minimizeLbfgs(fg, theta0, {
      maxIter: options.maxIter ?? 300,
      gtol: options.gtol ?? 1e-5,
      precondition,
      initialScale,
    });
  } finally {
    close();
  }
  const { x, ...optimizer } = res;
  return { model: finalize(x), optimizer };
}
