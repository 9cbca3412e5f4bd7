import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenizeForGlove } from "@/ml/tokenize-for-glove";
import {
  gloveCachePath,
  parseWinkEmbeddings,
  tryReadGloveCache,
  writeGloveCache,
} from "@/server/featurizers/glove-cache";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { createGloveFeaturizer, GLOVE_FEATURIZERS } from "@/server/featurizers/glove-featurizer";
import { FeaturizerError, type Featurizer } from "@/server/featurizers/featurizer";
import { expectClose } from "../../../helpers/expect-close";

const CACHE_DIR = path.resolve(".margin/cache");

describe("tokenizeForGlove", () => {
  it("splits punctuation and clitics the way GloVe's corpus was tokenized", () => {
    expect(tokenizeForGlove("Don't stop, it's U.S. e-mail!")).toEqual([
      "do",
      "n't",
      "stop",
      ",",
      "it",
      "'s",
      "u.s.",
      "e-mail",
      "!",
    ]);
    expect(tokenizeForGlove("Wall Street#39;s $10 deal.")).toEqual(["wall", "street", "'s", "$", "10", "deal", "."]);
    expect(tokenizeForGlove("")).toEqual([]);
  });
});

describe("wink JSON stream parser", () => {
  it("keeps the top words in frequency order, handles escapes and tricky keys", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glove-"));
    const src = path.join(dir, "mini.json");
    const doc = {
      precision: 8,
      size: 4,
      dimensions: 3,
      words: ["the", '"', "vectors", "]"],
      vectors: {
        "]": [0.5, -1e-3, 2, 9, 3],
        the: [1, 2, 3, 4, 0],
        vectors: [-1.5, 0, 1e2, 7, 2],
        '"': [0.25, 0.5, 0.75, 1, 1],
      },
      unkVector: [0, 0, 0, 0, -1],
    };
    fs.writeFileSync(src, JSON.stringify(doc));
    const g = parseWinkEmbeddings(src, 3);
    expect(g.words).toEqual(["the", '"', "vectors"]);
    expect(g.dim).toBe(3);
    expectClose(g.vectors, [1, 2, 3, 0.25, 0.5, 0.75, -1.5, 0, 100], { abs: 1e-7 });
    // Binary cache round trip, atomic write leaves no temp files, truncation is detected.
    const file = gloveCachePath(dir, 3);
    writeGloveCache(file, g);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const back = tryReadGloveCache(file)!;
    expect(back.words).toEqual(g.words);
    expect(Array.from(back.vectors)).toEqual(Array.from(g.vectors));
    fs.truncateSync(file, fs.statSync(file).size - 4);
    expect(tryReadGloveCache(file)).toBeNull();
    fs.rmSync(dir, { recursive: true });
  });
});

describe("GloVe featurizers (builds .margin/cache once, ~6 s)", () => {
  let sif: Featurizer;
  let mean: Featurizer;
  beforeAll(async () => {
    sif = await createFeaturizer("glove-sif-200@1", { cacheDir: CACHE_DIR });
    mean = await createFeaturizer("glove-mean-100@1", { cacheDir: CACHE_DIR });
  }, 120_000);

  it("produces 200-d vectors whose SIF and mean halves are unit-norm, deterministic, with the stable id", async () => {
    expect(sif.id).toBe("glove-sif-200@1");
    expect(sif.dim).toBe(200);
    const texts = ["The cat sat on the mat.", "Stocks fell sharply on Wall Street"];
    const a = await sif.embed(texts);
    const b = await sif.embed(texts);
    expect(a.length).toBe(400);
    expect(Array.from(a)).toEqual(Array.from(b));
    for (let i = 0; i < 2; i++) {
      for (const half of [0, 100]) {
        let s = 0;
        for (let j = 0; j < 100; j++) s += a[i * 200 + half + j]! ** 2;
        expectClose(Math.sqrt(s), 1, { abs: 1e-5 });
      }
    }
    // The halves differ: SIF down-weights "the", "on".
    expect(Array.from(a.subarray(0, 100))).not.toEqual(Array.from(a.subarray(100, 200)));
  });

  it("fills both halves in one pass exactly as the SIF view and the mean view would on their own", async () => {
    const config = GLOVE_FEATURIZERS["glove-sif-200@1"];
    const sifOnly = createGloveFeaturizer("glove-sif-200@1", CACHE_DIR, { ...config, concatMean: false });
    const meanOnly = createGloveFeaturizer("glove-sif-200@1", CACHE_DIR, {
      weighting: "mean",
      removeComponents: 0,
      center: false,
      l2: true,
      oov: config.oov,
    });
    // Known words, compounds, unknown words (n-gram vectors), numbers, clitics, an empty and an all-unknown text.
    const texts = [
      "The cat sat on the mat.",
      "state-of-the-art e-mail U.S.",
      "qzxwvkj blorptastic",
      "",
      "I'd pay 100 dollars!!",
      "R&D, AT&T; café naïve",
    ];
    const both = await sif.embed(texts);
    const [a, b] = [await sifOnly.embed(texts), await meanOnly.embed(texts)];
    for (let i = 0; i < texts.length; i++) {
      expect(Array.from(both.subarray(i * 200, i * 200 + 100))).toEqual(Array.from(a.subarray(i * 100, i * 100 + 100)));
      expect(Array.from(both.subarray(i * 200 + 100, i * 200 + 200))).toEqual(
        Array.from(b.subarray(i * 100, i * 100 + 100)),
      );
    }
  });

  it("plain mean of a single known word is that word's GloVe vector", async () => {
    const v = await mean.embed(["the"]);
    expectClose(Array.from(v.subarray(0, 3)), [-0.038194, -0.24487, 0.72812], { abs: 1e-6 });
  });

  it("handles empty input, identical texts and unknown-only texts", async () => {
    expect((await sif.embed([])).length).toBe(0);
    const same = await sif.embed(["good movie", "good movie", "good movie"]);
    expect(Array.from(same.subarray(400, 600))).toEqual(Array.from(same.subarray(0, 200)));
    const [unk, empty] = [await sif.embed(["qzxwvkj blorptastic"]), await sif.embed([""])];
    // Unknown words still get a (hashed character n-gram) vector; an empty text is the zero vector; never NaN.
    expect(unk.some((v) => v !== 0)).toBe(true);
    expect(unk.every(Number.isFinite)).toBe(true);
    expect(empty.every((v) => v === 0)).toBe(true);
    expect((await mean.embed(["qzxwvkj"])).every((v) => v === 0)).toBe(true);
  });

  it("similar sentences are closer than unrelated ones", async () => {
    const v = await sif.embed([
      "the team won the football match",
      "the club won the soccer game",
      "interest rates rose at the central bank",
    ]);
    const dot = (i: number, j: number): number => {
      let s = 0;
      for (let k = 0; k < 200; k++) s += v[i * 200 + k]! * v[j * 200 + k]!;
      return s;
    };
    expect(dot(0, 1)).toBeGreaterThan(dot(0, 2) + 0.1);
  });

  it("rejects unknown ids with a stable code", async () => {
    await expect(createFeaturizer("word2vec@9", { cacheDir: CACHE_DIR })).rejects.toMatchObject({
      code: "FEATURIZER_UNKNOWN_ID",
    });
    await expect(createFeaturizer("openai:foo", { cacheDir: CACHE_DIR })).rejects.toBeInstanceOf(FeaturizerError);
  });
});
