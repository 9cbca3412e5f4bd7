// bench:peer — the same data through Margin and through NumPy / scikit-learn, interleaved in one run (Margin, then
// the peer, `--reps` times; each side's minimum is reported), with the objective values that show both solved the
// same problem. Never part of CI: it needs Debian's python3-numpy and python3-sklearn and minutes of two cores.
//   npm run bench:peer [-- --reps 3 --only train,warm,many,banking77,rank --before]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  computeLogits,
  effectiveWeights,
  logitsToProbaInPlace,
  predict,
  type LinearModel,
  type LogitsKernel,
} from "@/ml/linear-model";
import { scoreChunk } from "@/ml/uncertainty";
import { TopKSelector } from "@/ml/top-k-selector";
import { trainLogisticRegression, type TrainResult } from "@/ml/train-logistic-regression";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { parallelLogisticBlocks } from "@/server/compute/parallel-logistic-blocks";
import { loadSingleLabel } from "../ml/datasets";
import { embedCached } from "../ml/embed-cached";
import { blobs, peerSet, uniformPool, type PeerSet } from "./peer-data";
import { findPython, startPeer } from "./peer-process";
import { benchArg as arg } from "../bench-args";

const args = process.argv.slice(2);
const REPS = Number(arg("reps") ?? 3);
const ONLY = new Set((arg("only") ?? "train,warm,many,banking77,rank").split(","));
// --before: also the cold rows with the TypeScript objective loops (the same bits, so only the time differs).
const BEFORE = args.includes("--before");
const THREADS = 2;
// One problem definition for both sides: Margin's mean loss + λ/2‖W‖², gradient tolerance gtol (sklearn: C = 1/(λn),
// tol = gtol·n), the same L-BFGS memory (10) and iteration cap.
const LAMBDA = 1e-3;
const GTOL = 1e-5;
const MAX_ITER = 1000;
const NEW_LABELS = 50;
const TOP = 1000;
const SCORE_BATCH = 10_000; // the scoring job's rows per round trip (score-item-range.ts)

const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const load1 = () => os.loadavg()[0]!.toFixed(1);
const fmtS = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;

interface PeerFit {
  ms: number;
  iterations: number;
  f: number;
  fMargin?: number;
  accuracy?: number;
  mean: number[];
  scale: number[];
  W: number[];
  b: number[];
}
interface Row {
  work: string;
  margin: string;
  peer: string;
  ratio: string;
  fair: string;
  load: string;
}

const python = findPython();
if (!python) {
  console.log(
    "bench:peer skipped: no python3 with numpy, scipy and scikit-learn (Debian: apt-get install -y python3-sklearn python3-numpy).",
  );
  process.exit(0);
}
const dir = path.resolve(".margin/bench-cache/peer");
const peer = await startPeer(python, THREADS);
log(`peer: ${python}, numpy ${peer.info.numpy}, scikit-learn ${peer.info.sklearn}, ${peer.info.blas}`);
const rows: Row[] = [];
const startLoad = os
  .loadavg()
  .map((v) => v.toFixed(1))
  .join(" / ");

/** Interleaved runs: Margin then the peer, REPS times; returns every run of both. */
async function interleave<M extends { ms: number }, P extends { ms: number }>(
  what: string,
  margin: () => M | Promise<M>,
  other: (m: M) => Promise<P>,
) {
  const ms: M[] = [];
  const ps: P[] = [];
  const loads: string[] = [load1()];
  for (let r = 0; r < REPS; r++) {
    const m = await margin();
    const p = await other(m);
    ms.push(m);
    ps.push(p);
    log(`${what} run ${r + 1}: Margin ${fmtS(m.ms)}, peer ${fmtS(p.ms)} (load ${load1()})`);
  }
  loads.push(load1());
  const minOf = <T extends { ms: number }>(a: T[]) => a.reduce((x, y) => (y.ms < x.ms ? y : x));
  return { m: minOf(ms), p: minOf(ps), lastM: ms[ms.length - 1]!, lastP: ps[ps.length - 1]!, load: loads.join(" → ") };
}

const classNames = (K: number) => Array.from({ length: K }, (_, k) => `c${k}`);

function marginFit(
  set: PeerSet,
  n: number,
  warm?: { model: LinearModel; scale?: number },
  kernel: "auto" | "typescript" = "auto",
): TrainResult & { ms: number } {
  const t = performance.now();
  const r = trainLogisticRegression(
    set.X.subarray(0, n * set.d),
    n,
    set.d,
    classNames(set.K),
    { task: "single-label", y: set.labels!.subarray(0, n) },
    {
      l2: LAMBDA,
      gtol: GTOL,
      maxIter: MAX_ITER,
      parallel: parallelLogisticBlocks(THREADS),
      warmStart: warm?.model,
      warmStartScale: warm?.scale,
      kernel,
    },
  );
  return { ...r, ms: performance.now() - t };
}

function peerFit(set: PeerSet, n: number, margin: LinearModel, extra: Record<string, unknown> = {}): Promise<PeerFit> {
  return peer.request<PeerFit>({
    op: "fit",
    x: set.x,
    y: set.y,
    rows: set.rows,
    n,
    d: set.d,
    K: set.K,
    lam: LAMBDA,
    gtol: GTOL,
    maxIter: MAX_ITER,
    margin: { W: Array.from(margin.weights), b: Array.from(margin.bias) },
    ...extra,
  });
}

/** Both objective values from the peer's float64 evaluator, and how far apart they are. */
function fairness(m: TrainResult, p: PeerFit, optimum: number, accuracy?: { margin: number; peer: number }): string {
  const fm = p.fMargin!;
  const rel = Math.abs(fm - p.f) / Math.abs(p.f);
  const gap = (f: number) => ((f - optimum) / Math.abs(optimum)).toExponential(1);
  const acc = accuracy
    ? `; test accuracy ${(accuracy.margin * 100).toFixed(2)}% vs ${(accuracy.peer * 100).toFixed(2)}%`
    : "";
  return `f ${fm.toPrecision(10)} vs ${p.f.toPrecision(10)} (Δ ${rel.toExponential(1)} rel; above f* ${gap(fm)} vs ${gap(p.f)}); ${m.optimizer.iterations} it / ${m.optimizer.evaluations} ev (${m.optimizer.reason}) vs ${p.iterations} it${acc}`;
}

async function fitRow(
  work: string,
  set: PeerSet,
  n: number,
  options: {
    warm?: { margin: { model: LinearModel; scale?: number }; peer: PeerFit };
    test?: PeerSet;
    kernel?: "auto" | "typescript";
  } = {},
) {
  const warm = options.warm;
  const extra = {
    ...(warm ? { warm: { mean: warm.peer.mean, scale: warm.peer.scale, W: warm.peer.W, b: warm.peer.b } } : {}),
    ...(options.test ? { test: { x: options.test.x, y: options.test.y, rows: options.test.rows } } : {}),
  };
  const r = await interleave(
    work,
    () => marginFit(set, n, warm?.margin, options.kernel),
    (m) => peerFit(set, n, m.model, extra),
  );
  // The optimum itself (untimed): scikit-learn to gtol 1e-9, so each side's distance from it can be read.
  const optimum = (await peerFit(set, n, r.lastM.model, { ...extra, gtol: 1e-9, maxIter: 20_000 })).f;
  let accuracy: { margin: number; peer: number } | undefined;
  if (options.test) {
    const t = options.test;
    const pred = predict(r.lastM.model, t.X, t.rows);
    let hit = 0;
    for (let i = 0; i < t.rows; i++) if (pred[i] === t.labels![i]) hit++;
    accuracy = { margin: hit / t.rows, peer: r.lastP.accuracy! };
  }
  rows.push({
    work,
    margin: fmtS(r.m.ms),
    peer: fmtS(r.p.ms),
    ratio: `${(r.m.ms / r.p.ms).toFixed(2)}×`,
    fair: fairness(r.lastM, r.lastP, optimum, accuracy),
    load: r.load,
  });
  return { margin: r.lastM, peer: r.lastP };
}

/** The scoring job's arithmetic over a pool in its batches: logits → probabilities → margin → a bounded top-k. */
function marginRank(
  X: Float32Array,
  n: number,
  d: number,
  model: LinearModel,
  kernel: LogitsKernel,
): { ms: number; top: number[] } {
  const K = model.classes.length;
  const t = performance.now();
  const sel = new TopKSelector(TOP);
  const out = new Float32Array(SCORE_BATCH);
  for (let o = 0; o < n; o += SCORE_BATCH) {
    const m = Math.min(SCORE_BATCH, n - o);
    const P = logitsToProbaInPlace(
      computeLogits(model, X.subarray(o * d, (o + m) * d), m, kernel),
      m,
      K,
      model.task,
      model.temperature,
    );
    sel.pushChunk(scoreChunk(P, m, K, "margin", { out }), o, m);
  }
  const ms = performance.now() - t;
  return { ms, top: sel.result().ids };
}

try {
  let cold: { margin: TrainResult; peer: PeerFit } | undefined;
  if (ONLY.has("train") || ONLY.has("warm") || ONLY.has("rank")) {
    const n = 100_000,
      d = 384,
      K = 10;
    const set = await peerSet(dir, "blobs-0.15-100k-384-10", { rows: n + NEW_LABELS, d, K, labeled: true }, () =>
      blobs(n + NEW_LABELS, d, K, 7, 0.15),
    );
    const what = `L2 logistic regression, ${n.toLocaleString("en")} × ${d}, ${K} classes, cold, ${THREADS} threads`;
    cold = await fitRow(`${what}, objective in WebAssembly (now)`, set, n);
    if (BEFORE) await fitRow(`${what}, objective in TypeScript (before)`, set, n, { kernel: "typescript" });
    if (ONLY.has("warm")) {
      const what = `same, warm start after ${NEW_LABELS} new labels (${(n + NEW_LABELS).toLocaleString("en")} rows)`;
      await fitRow(`${what}, first step from the previous fit's curvature (now)`, set, n + NEW_LABELS, {
        warm: { margin: { model: cold.margin.model, scale: cold.margin.optimizer.scale }, peer: cold.peer },
      });
      await fitRow(`${what}, first step of ∞-norm 1 (before)`, set, n + NEW_LABELS, {
        warm: { margin: { model: cold.margin.model }, peer: cold.peer },
      });
    }
  }
  if (ONLY.has("many")) {
    const n = 10_000,
      d = 200,
      K = 77;
    const set = await peerSet(dir, "blobs-0.3-10k-200-77", { rows: n, d, K, labeled: true }, () =>
      blobs(n, d, K, 11, 0.3),
    );
    const what = `${n.toLocaleString("en")} × ${d}, ${K} classes, cold`;
    await fitRow(`${what}, objective in WebAssembly (now)`, set, n);
    if (BEFORE) await fitRow(`${what}, objective in TypeScript (before)`, set, n, { kernel: "typescript" });
  }
  if (ONLY.has("banking77")) {
    const ds = loadSingleLabel("banking77");
    const f = await createFeaturizer("glove-sif-200@1", { cacheDir: path.resolve(".margin/cache") });
    const benchCache = path.resolve(".margin/bench-cache");
    const K = ds.classes.length;
    const train = await peerSet(
      dir,
      "banking77-train-glove-sif-200",
      { rows: ds.train.texts.length, d: f.dim, K, labeled: true },
      async () => ({ X: await embedCached(f, ds.train.texts, benchCache, true), y: ds.train.y }),
    );
    const test = await peerSet(
      dir,
      "banking77-test-glove-sif-200",
      { rows: ds.test.texts.length, d: f.dim, K, labeled: true },
      async () => ({ X: await embedCached(f, ds.test.texts, benchCache, true), y: ds.test.y }),
    );
    await fitRow(
      `Banking77 on glove-sif-200 vectors (${train.rows.toLocaleString("en")} × ${train.d}, ${K} classes), cold`,
      train,
      train.rows,
      { test },
    );
  }
  if (ONLY.has("rank")) {
    if (!cold) throw new Error("rank needs the 100k × 384 model (run with train)");
    const n = 1_000_000,
      d = 384;
    const pool = await peerSet(dir, "pool-1m-384", { rows: n, d, K: 10, labeled: false }, () => ({
      X: uniformPool(n, d, 5),
      y: null,
    }));
    const model = cold.margin.model;
    const K = model.classes.length;
    const { W, b } = effectiveWeights(model);
    // The floor: one copy of every value of the pool into memory already touched.
    const dst = new Float32Array(n * d).fill(1);
    let floor = Infinity;
    for (let r = 0; r < REPS; r++) {
      const t = performance.now();
      dst.set(pool.X);
      floor = Math.min(floor, performance.now() - t);
    }
    const rankCmd = {
      op: "rank",
      x: pool.x,
      n,
      d,
      K,
      top: TOP,
      W: Array.from(W, Math.fround),
      b: Array.from(b, Math.fround),
    };
    const overlap = (a: number[], c: number[]) => {
      const s = new Set(a);
      return c.filter((v) => s.has(v)).length;
    };
    const variants = [
      { kernel: "wasm", threads: THREADS, what: "logits in WebAssembly f32x4 (now)" },
      { kernel: "typescript", threads: THREADS, what: "logits in TypeScript f64 (before)" },
      { kernel: "wasm", threads: 1, what: "logits in WebAssembly f32x4, NumPy's BLAS on 1 thread like Margin" },
    ] as const;
    for (const { kernel, threads, what } of variants) {
      const r = await interleave(
        `rank ${what}`,
        () => marginRank(pool.X, n, d, model, kernel),
        () => peer.request<{ ms: number; top: number[] }>(threads === THREADS ? rankCmd : { ...rankCmd, threads }),
      );
      rows.push({
        work: `rank ${n.toLocaleString("en")} × ${d} (${K} classes), top ${TOP.toLocaleString("en")} by margin, in memory — ${what}`,
        margin: fmtS(r.m.ms),
        peer: fmtS(r.p.ms),
        ratio: `${(r.m.ms / r.p.ms).toFixed(2)}×`,
        fair: `same top ${TOP.toLocaleString("en")}: ${overlap(r.lastM.top, r.lastP.top)} of ${TOP.toLocaleString("en")} ids shared; ${(r.m.ms / floor).toFixed(1)}× the copy floor (${fmtS(floor)})`,
        load: r.load,
      });
    }
  }
} finally {
  peer.close();
}

const endLoad = os
  .loadavg()
  .map((v) => v.toFixed(1))
  .join(" / ");
const table = rows
  .map((r) => `| ${r.work} | ${r.margin} | ${r.peer} | ${r.ratio} | ${r.fair} | ${r.load} |`)
  .join("\n");
const md = `# Margin vs NumPy / scikit-learn (bench:peer)

Generated by \`npm run bench:peer\` (bench/peer/run.ts with bench/peer/peer.py) on ${os.cpus().length} cores
(${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; peer: numpy ${peer.info.numpy}, scikit-learn ${peer.info.sklearn}, ${peer.info.blas}.
Each row is ${REPS} interleaved runs (Margin, then the peer, in one process pair); the times are each side's minimum.
Load average (1 / 5 / 15 min) at the start: ${startLoad}; at the end: ${endLoad}. The machine is shared: compare ratios.

**One problem on both sides.** Synthetic sets are generated once (seeded) and written to binary files that both
sides read. Training minimizes Margin's objective, mean cross-entropy + λ/2‖W‖² (λ = ${LAMBDA}, intercept free) on
features standardized Margin's way (float64 sums, mean and scale rounded to float32, std ≤ 1e-8 → 1); scikit-learn
gets C = 1/(λ·n), tol = gtol·n (gtol = ${GTOL.toExponential(0)}), lbfgs with the same history (10) and cap (${MAX_ITER} iterations),
float64 standardized features, the standardization inside its timing as it is inside Margin's. Margin trains with
${THREADS} threads; OpenBLAS has ${THREADS}. *f* is that objective evaluated by the peer's float64 evaluator at each side's
solution: Margin's first, scikit-learn's second, with each one's relative distance above f*, the optimum from an
untimed scikit-learn fit to gtol 1e-9 (stopping at the same gradient tolerance leaves each side its own small gap
above f*, so equal tolerances do not give equal objectives to more than ~1e-6). The warm row starts each side from its own cold fit, re-expressed
exactly in the new standardization. Ranking: both sides get the cold 100k model's effective weights (float32);
Margin runs the scoring job's arithmetic in its batches of ${SCORE_BATCH.toLocaleString("en")} rows (logits, softmax,
margin, bounded top-k) on one thread; NumPy does X·Wᵀ (sgemm, ${THREADS} threads), softmax, margin and argpartition on
the whole pool at once. The floor is one copy of the pool into memory already touched.
${BEFORE ? "Rows marked *objective in TypeScript (before)* run the objective's row loops in TypeScript (runLogisticBlock) instead of\nWebAssembly (src/ml/wasm/logistic-kernels.wat); the two give the same bits, so the same fit, and differ only in time.\n" : ""}
| work | Margin | NumPy / scikit-learn | ratio | same problem? (Margin vs peer) | load (1 min, start → end) |
|---|---|---|---|---|---|
${table}
`;
fs.mkdirSync("bench/results", { recursive: true });
const out = arg("out") ?? "bench/results/peer.md";
fs.writeFileSync(out, md);
log(`wrote ${out}`);
