import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GloveSentenceEncoder } from "@/ml/glove-sentence-encoder";
import {
  closeGloveEncodeThreads,
  enableGloveEncodeThreads,
  helpersForTests,
  MIN_TEXTS_PER_PART,
  readyGloveEncodeThreads,
} from "@/server/compute/glove-encode-threads";
import { loadOrBuildGloveCache } from "@/server/featurizers/glove-cache";
import { createGloveFeaturizer, GLOVE_FEATURIZERS } from "@/server/featurizers/glove-featurizer";

const CACHE_DIR = path.resolve(".margin/cache");
const config = GLOVE_FEATURIZERS["glove-sif-200@1"];
const fixture = fs
  .readFileSync(path.resolve("tests/fixtures/ag-news-2000.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => (JSON.parse(line) as { text: string }).text);
// Long and short texts, unknown words, emoji and empty strings, in an order where equal-length cuts fall unevenly.
const texts = [...fixture, "", "xyzzyqq 🙂", ...fixture.slice(0, 900).map((t) => t.slice(0, 17)), "woof"];

/** Positions where two vectors differ (a count keeps a failure's report short: the arrays have ~600k values). */
function differences(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

async function untilReady(threads: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (readyGloveEncodeThreads(CACHE_DIR, config) < threads) {
    if (Date.now() > deadline) throw new Error("the encoding threads did not get ready in 90 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => closeGloveEncodeThreads());

describe("GloVe encoding on helper threads", () => {
  it("gives the one thread's vectors bit for bit, shared with ready helpers, and falls back when one dies", async () => {
    const g = loadOrBuildGloveCache({ cacheDir: CACHE_DIR });
    const reference = new GloveSentenceEncoder(g.words, g.vectors, g.dim, config).encode(texts);

    enableGloveEncodeThreads(3);
    const featurizer = createGloveFeaturizer("glove-sif-200@1", CACHE_DIR);
    await untilReady(2);
    expect(texts.length).toBeGreaterThan(3 * MIN_TEXTS_PER_PART);
    const threaded = await featurizer.embed(texts);
    expect(differences(threaded, reference)).toBe(0);
    // Below two parts' worth of texts the caller encodes alone; the same vectors.
    const few = texts.slice(0, MIN_TEXTS_PER_PART + 3);
    expect(differences(await featurizer.embed(few), reference.slice(0, few.length * featurizer.dim))).toBe(0);

    // A helper that stops while it holds a part (asked before the pool hears of its exit): the caller encodes that
    // part, nothing is lost or shifted.
    const stopping = helpersForTests()[1]!.worker.terminate();
    const batch = featurizer.embed(texts);
    await stopping;
    expect(differences(await batch, reference)).toBe(0);
    expect(readyGloveEncodeThreads(CACHE_DIR, config)).toBe(1);
  }, 180_000);

  it("lets the process exit once its work is done, and keeps it alive while a part is being encoded", async () => {
    // An idle helper must not hold the process (adding a "message" listener re-refs a worker's port), and a helper
    // holding a part must (else the process ends with the batch unfinished: exit code 13).
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--import", "tsx", path.resolve("tests/helpers/glove-threads-process.ts")],
        { timeout: 150_000, killSignal: "SIGKILL" },
        (_error, out) => resolve({ code: child.exitCode, stdout: out }),
      );
    });
    expect(stdout).toContain("embedded 3000");
    expect(code).toBe(0);
  }, 180_000);
});
