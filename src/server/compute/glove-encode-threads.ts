import { Worker } from "node:worker_threads";
import type { GloveEncoderConfig } from "@/ml/glove-sentence-encoder";
import type { EncodeReply, EncodeRequest } from "@/server/compute/glove-encode-thread";

/**
 * GloVe sentence encoding spread over helper threads, for the processes that embed in bulk (the worker's embed job,
 * the CLI): a batch is cut into contiguous parts of about equal length in characters, the calling thread encodes the
 * first while each helper encodes another, and the parts are joined in order. Encoding is per text and pure, so the
 * result is the one thread's, bit for bit. Off until a process turns it on (the web app embeds a few texts at a
 * time, and its bundle has no TypeScript loader for the thread file).
 */

/** Texts below which a part is not worth a thread's round trip (~1 ms of postMessage against ~20–50 µs per text). */
export const MIN_TEXTS_PER_PART = 500;
/** How long a helper may take to load its encoder before its parts go back to the calling thread. */
const READY_TIMEOUT_MS = 60_000;

interface Helper {
  worker: Worker;
  /** Configs (by key) whose encoder the helper has built: until then its share is encoded by the caller. */
  ready: Set<string>;
  /** Requests in flight, each settled (and removed) by its reply, its timeout or the helper's end. */
  pending: Map<number, (reply: EncodeReply) => void>;
}

let helpers: Helper[] = [];
let wanted = 0;
let nextId = 0;

/** Lets this process encode GloVe batches on `threads` threads in all (the caller's plus threads − 1 helpers). */
export function enableGloveEncodeThreads(threads: number): void {
  wanted = Math.max(0, Math.floor(threads) - 1);
}

/** The live helpers (tests stop one to check the fallback). */
export function helpersForTests(): readonly { worker: Worker }[] {
  return helpers;
}

/** Stops the helper threads (tests; processes exit without it: the threads are unref'd). */
export async function closeGloveEncodeThreads(): Promise<void> {
  const all = helpers;
  helpers = [];
  wanted = 0;
  await Promise.all(all.map((h) => h.worker.terminate()));
}

function dropHelper(h: Helper, message: string): void {
  helpers = helpers.filter((x) => x !== h);
  for (const resolve of h.pending.values()) resolve({ id: -1, ok: false, message });
  h.pending.clear();
  void h.worker.terminate();
}

function startHelper(): Helper | null {
  let worker: Worker;
  try {
    // Resolved at run time (not a literal `new URL("./…")`) so that no bundler pulls the thread into a web build.
    worker = new Worker(new URL(["glove-encode-thread", "mjs"].join("."), import.meta.url));
  } catch {
    return null;
  }
  const h: Helper = { worker, ready: new Set(), pending: new Map() };
  worker.on("message", (reply: EncodeReply) => h.pending.get(reply.id)?.(reply));
  worker.on("error", (e) => dropHelper(h, `GloVe encoding thread failed: ${e.message}`));
  worker.on("exit", () => dropHelper(h, "GloVe encoding thread exited"));
  // After the listeners: adding a "message" listener refs the worker's port again, and the process would never exit.
  worker.unref();
  return h;
}

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

function ask(h: Helper, request: WithoutId<EncodeRequest>, timeoutMs?: number): Promise<EncodeReply> {
  const id = nextId++;
  return new Promise((resolve) => {
    const settle = (reply: EncodeReply): void => {
      if (timer) clearTimeout(timer);
      h.pending.delete(id);
      if (h.pending.size === 0) h.worker.unref();
      resolve(reply);
    };
    const timer = timeoutMs
      ? setTimeout(() => settle({ id, ok: false, message: "timed out" }), timeoutMs).unref()
      : undefined;
    h.pending.set(id, settle);
    // A request in flight keeps the process alive (an idle helper does not).
    h.worker.ref();
    h.worker.postMessage({ ...request, id } as EncodeRequest);
  });
}

/** Names an encoder: the cache folder its vectors come from and its config (shared with the thread's own cache). */
export const gloveEncoderKey = (cacheDir: string, config: GloveEncoderConfig): string =>
  `${cacheDir}\n${JSON.stringify(config)}`;

const readyHelpers = (key: string): Helper[] => helpers.filter((h) => h.ready.has(key));

/**
 * Starts the helpers (if turned on) and has them build the encoder for (cacheDir, config) in the background, so the
 * first large batch finds them ready; a batch never waits for a helper that is still loading.
 */
export function prepareGloveEncodeThreads(cacheDir: string, config: GloveEncoderConfig): void {
  while (helpers.length < wanted) {
    const h = startHelper();
    if (!h) {
      wanted = helpers.length;
      break;
    }
    helpers.push(h);
  }
  const key = gloveEncoderKey(cacheDir, config);
  for (const h of helpers) {
    if (h.ready.has(key)) continue;
    void ask(h, { kind: "prepare", cacheDir, config }, READY_TIMEOUT_MS).then((reply) => {
      if (reply.ok) h.ready.add(key);
      else if (helpers.includes(h)) dropHelper(h, reply.message);
    });
  }
}

/** Helper threads whose encoder for (cacheDir, config) is built: the ones a large batch is shared with now. */
export function readyGloveEncodeThreads(cacheDir: string, config: GloveEncoderConfig): number {
  return readyHelpers(gloveEncoderKey(cacheDir, config)).length;
}

/** Cut points of `parts` contiguous ranges of about equal total length (characters). */
function cutPoints(texts: string[], parts: number): number[] {
  let total = 0;
  for (const t of texts) total += t.length + 1;
  const cuts = [0];
  let acc = 0;
  for (let i = 0; i < texts.length && cuts.length < parts; i++) {
    acc += texts[i]!.length + 1;
    if (acc >= (total * cuts.length) / parts) cuts.push(i + 1);
  }
  cuts.push(texts.length);
  return cuts;
}

/**
 * encode(texts) with the batch shared among the ready helpers. `encode` is the calling thread's encoder for the same
 * (cacheDir, config); a part whose helper fails is encoded by it, so a thread problem costs time, never vectors.
 */
export async function encodeWithThreads(
  texts: string[],
  dim: number,
  cacheDir: string,
  config: GloveEncoderConfig,
  encode: (texts: string[]) => Float32Array,
): Promise<Float32Array> {
  const ready = readyHelpers(gloveEncoderKey(cacheDir, config));
  const parts = Math.min(1 + ready.length, Math.floor(texts.length / MIN_TEXTS_PER_PART));
  if (parts <= 1) return encode(texts);
  const cuts = cutPoints(texts, parts);
  const out = new Float32Array(texts.length * dim);
  const remote = ready.slice(0, cuts.length - 2).map((h, i) => {
    const [a, b] = [cuts[i + 1]!, cuts[i + 2]!];
    return ask(h, { kind: "encode", cacheDir, config, texts: texts.slice(a, b) }).then((reply) => ({ a, b, reply }));
  });
  out.set(encode(texts.slice(0, cuts[1])), 0);
  for (const { a, b, reply } of await Promise.all(remote)) {
    const vectors = reply.ok && reply.vectors?.length === (b - a) * dim ? reply.vectors : encode(texts.slice(a, b));
    out.set(vectors, a * dim);
  }
  return out;
}
