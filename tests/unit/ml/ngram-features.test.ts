import { describe, expect, it } from "vitest";
import {
  CHAR_BLOCK,
  charWbNgrams,
  hashNgrams,
  keyBlock,
  NGRAM_BUCKET_BITS,
  ngramKey,
  WORD_BLOCK,
  wordNgrams,
} from "@/ml/ngram-hashing";
import {
  fitNgramVocabulary,
  ngramMatrix,
  vocabularyFromJSON,
  vocabularyToJSON,
  type NgramVocabulary,
} from "@/ml/ngram-vocabulary";
import type { CsrMatrix } from "@/ml/sparse-matrix";
import { expectClose } from "../../helpers/expect-close";

function sorted(a: ArrayLike<number>): number[] {
  return Array.from(a).sort((x, y) => x - y);
}

/** The keys sklearn's analyzers imply for `text`: the string reference the incremental hashing must agree with. */
function referenceKeys(text: string): number[] {
  const words = text
    .toLowerCase()
    .split(/[\s\x1c-\x1f\x85]+/u)
    .filter((w) => w.length > 0);
  return sorted([
    ...wordNgrams(text).map((g) => ngramKey(WORD_BLOCK, g)),
    ...words.flatMap((w) => charWbNgrams(w)).map((g) => ngramKey(CHAR_BLOCK, g)),
  ]);
}

function rowOf(X: CsrMatrix, r: number): { cols: number[]; vals: number[] } {
  const a = X.indptr[r]!;
  const b = X.indptr[r + 1]!;
  return { cols: Array.from(X.indices.subarray(a, b)), vals: Array.from(X.values.subarray(a, b)) };
}

/** Squared norm of a row's word block and char block. */
function blockNormsSq(vocab: NgramVocabulary, X: CsrMatrix, r: number): [number, number] {
  const { cols, vals } = rowOf(X, r);
  let w = 0;
  let c = 0;
  cols.forEach((col, i) => {
    if (keyBlock(vocab.keys[col]!) === WORD_BLOCK) w += vals[i]! ** 2;
    else c += vals[i]! ** 2;
  });
  return [w, c];
}

function column(vocab: NgramVocabulary, block: number, ngram: string): number {
  return vocab.keys.indexOf(ngramKey(block, ngram));
}

function expectValidCsr(X: CsrMatrix): void {
  expect(X.indptr[0]).toBe(0);
  expect(X.indptr[X.rows]).toBe(X.indices.length);
  expect(X.values.length).toBe(X.indices.length);
  for (let r = 0; r < X.rows; r++) {
    const { cols, vals } = rowOf(X, r);
    for (let i = 0; i < cols.length; i++) {
      expect(cols[i]!).toBeGreaterThanOrEqual(0);
      expect(cols[i]!).toBeLessThan(X.cols);
      if (i > 0) expect(cols[i]!).toBeGreaterThan(cols[i - 1]!);
      expect(Number.isFinite(vals[i]!) && vals[i]! > 0).toBe(true);
    }
  }
}

describe("n-gram analyzers (scikit-learn's, lowercase=True)", () => {
  it("char_wb 2–5-grams of a word match sklearn's _char_wb_ngrams exactly, order included", () => {
    // Lists printed by scikit-learn 1.2.1: TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer().
    expect(charWbNgrams("fox")).toEqual([" f", "fo", "ox", "x ", " fo", "fox", "ox ", " fox", "fox ", " fox "]);
    expect(charWbNgrams("a")).toEqual([" a", "a ", " a "]);
    expect(charWbNgrams("ab")).toEqual([" a", "ab", "b ", " ab", "ab ", " ab "]);
    // An emoji is one code point (two UTF-16 units) and one character of an n-gram, as in Python.
    expect(charWbNgrams("émoji😀")).toEqual([
      " é",
      "ém",
      "mo",
      "oj",
      "ji",
      "i😀",
      "😀 ",
      " ém",
      "émo",
      "moj",
      "oji",
      "ji😀",
      "i😀 ",
      " émo",
      "émoj",
      "moji",
      "oji😀",
      "ji😀 ",
      " émoj",
      "émoji",
      "moji😀",
      "oji😀 ",
    ]);
  });

  it("word 1–2-grams follow token_pattern (?u)\\b\\w\\w+\\b", () => {
    // sklearn: ['the', 'quick_brown', 'fox', '2x', 'café', 'the quick_brown', 'quick_brown fox', 'fox 2x', '2x café'].
    expect(wordNgrams("The quick_brown fox, a 2x café 😀!")).toEqual([
      "the",
      "quick_brown",
      "fox",
      "2x",
      "café",
      "the quick_brown",
      "quick_brown fox",
      "fox 2x",
      "2x café",
    ]);
    expect(wordNgrams("东京 is")).toEqual(["东京", "is", "东京 is"]);
    expect(wordNgrams("")).toEqual([]);
  });

  it("incremental hashing gives exactly the keys of the n-gram strings", () => {
    for (const t of [
      "Fox, 2 foxes",
      "Hello, wörld! 😀 x 东京 is_it ok",
      "नमस्ते दुनिया",
      "a\tb\x1cc\u0085d\u00a0e  g",
      "İstanbul ΣΟΦΟΣ",
      "👍🏽👨‍👩‍👧 ok",
      "x",
      "",
      "   ",
    ]) {
      expect(sorted(hashNgrams(t)), JSON.stringify(t)).toEqual(referenceKeys(t));
    }
  });

  it("keys are fixed: a change of hash, seed or layout fails here (stored vocabularies would be misread)", () => {
    expect(Array.from(hashNgrams("Fox, 2 foxes"))).toEqual([
      1556675, 3831216, 3518928, 4992492, 4374753, 6891270, 5370540, 7972773, 4636715, 7706544, 4242580, 5016307,
      4568138, 5495202, 6558527, 6525642, 7866928, 8075689, 4915347, 4418023, 4992492, 4374753, 6891270, 7468986,
      7972773, 4636715, 7799773, 4972004, 5016307, 7440654, 8028456, 6626465, 6379875, 5860922, 5531953, 7431878,
      7738333, 4395400,
    ]);
    expect(ngramKey(WORD_BLOCK, "fox")).toBe(hashNgrams("fox")[0]);
    expect(keyBlock(ngramKey(WORD_BLOCK, "fox"))).toBe(WORD_BLOCK);
    expect(keyBlock(ngramKey(CHAR_BLOCK, "fox"))).toBe(CHAR_BLOCK);
    expect(ngramKey(CHAR_BLOCK, "fox")).toBeLessThan(2 << NGRAM_BUCKET_BITS);
  });

  it("is case-insensitive and counts repeats", () => {
    expect(sorted(hashNgrams("FOX fox"))).toEqual(sorted(hashNgrams("fox Fox")));
    const k = ngramKey(WORD_BLOCK, "fox");
    expect(Array.from(hashNgrams("fox fox fox")).filter((x) => x === k)).toHaveLength(3);
  });
});

describe("fitNgramVocabulary + ngramMatrix", () => {
  const docs = ["apple banana", "apple cherry", "banana banana apple"];

  it("idf is sklearn's smooth idf over the df texts", () => {
    const v = fitNgramVocabulary({ dfTexts: docs });
    expect(v.docCount).toBe(3);
    expect(v.minDf).toBe(1); // fewer than 20 df texts
    const idfOf = (g: string): number => v.idf[column(v, WORD_BLOCK, g)]!;
    expectClose(idfOf("apple"), Math.log(4 / 4) + 1, { abs: 1e-12 });
    expectClose(idfOf("banana"), Math.log(4 / 3) + 1, { abs: 1e-12 });
    expectClose(idfOf("cherry"), Math.log(4 / 2) + 1, { abs: 1e-12 });
    expectClose(idfOf("banana apple"), Math.log(4 / 2) + 1, { abs: 1e-12 });
    // Char n-gram " a" occurs in all three texts; "na" in two.
    expectClose(v.idf[column(v, CHAR_BLOCK, " a")]!, 1, { abs: 1e-12 });
    expect(v.df[column(v, CHAR_BLOCK, "na")]).toBe(2);
  });

  it("row values: per block sublinear tf × idf, L2 per block, × 1/√2", () => {
    const v = fitNgramVocabulary({ dfTexts: docs });
    const X = ngramMatrix(v, ["banana banana apple"]);
    expectValidCsr(X);
    expect(X.cols).toBe(v.size);
    const { cols, vals } = rowOf(X, 0);
    const val = (g: string): number => vals[cols.indexOf(column(v, WORD_BLOCK, g))]!;
    const raw = {
      banana: (1 + Math.log(2)) * (Math.log(4 / 3) + 1),
      apple: 1,
      "banana banana": Math.log(4 / 2) + 1,
      "banana apple": Math.log(4 / 2) + 1,
    };
    const norm = Math.hypot(...Object.values(raw));
    for (const [g, r] of Object.entries(raw)) expectClose(val(g), (r / norm) * Math.SQRT1_2, { rel: 1e-6 });
    const [w, c] = blockNormsSq(v, X, 0);
    expectClose([w, c], [0.5, 0.5], { abs: 1e-6 });
  });

  it("minDf drops rare keys; featureTexts keeps only keys seen in training; others stay transformable", () => {
    const pool = Array.from({ length: 30 }, (_, i) => `common words here item${i % 10} ${i === 0 ? "once" : ""}`);
    const v = fitNgramVocabulary({ dfTexts: pool }); // 30 texts: default minDf 2
    expect(v.minDf).toBe(2);
    expect(column(v, WORD_BLOCK, "once")).toBe(-1);
    expect(column(v, WORD_BLOCK, "item3")).toBeGreaterThanOrEqual(0);
    expect(Math.min(...v.df)).toBeGreaterThanOrEqual(2);

    const train = pool.filter((_, i) => i % 10 < 5); // item0..item4 only
    const r = fitNgramVocabulary({ dfTexts: pool, featureTexts: train });
    expect(column(r, WORD_BLOCK, "item3")).toBeGreaterThanOrEqual(0);
    expect(column(r, WORD_BLOCK, "item7")).toBe(-1);
    expect(r.df[column(r, WORD_BLOCK, "item3")]).toBe(3); // df still counts the whole pool
    expect(r.size).toBeLessThan(v.size);
    const X = ngramMatrix(r, [pool[7]!]); // not a training text
    expectValidCsr(X);
    expect(X.indptr[1]).toBeGreaterThan(0);
    expectClose(blockNormsSq(r, X, 0), [0.5, 0.5], { abs: 1e-6 });

    expect(fitNgramVocabulary({ dfTexts: pool }, { minDf: 1 }).size).toBeGreaterThan(v.size);
  });

  it("maxFeatures keeps the highest-df keys, ties broken by key", () => {
    const v = fitNgramVocabulary({ dfTexts: docs });
    const m = fitNgramVocabulary({ dfTexts: docs }, { maxFeatures: 10 });
    expect(m.size).toBe(10);
    const order = Array.from(v.keys.keys()).sort((a, b) => v.df[b]! - v.df[a]! || v.keys[a]! - v.keys[b]!);
    expect(Array.from(m.keys)).toEqual(sorted(order.slice(0, 10).map((j) => v.keys[j]!)));
    expect(() => fitNgramVocabulary({ dfTexts: docs }, { minDf: 0 })).toThrow(/minDf/);
    expect(() => fitNgramVocabulary({ dfTexts: docs }, { maxFeatures: 1.5 })).toThrow(/maxFeatures/);
  });

  it("edge cases: empty text, emoji only, CJK without spaces, a very long text, nothing known", () => {
    const pool = ["", "😀😀 nice", "😀😀 great", "东京是日本的首都", "东京是日本的首都。", "good good", "good bad"];
    const v = fitNgramVocabulary({ dfTexts: pool });
    const long = Array.from({ length: 20_000 }, (_, i) => ["good", "bad", "nice", "great"][i % 4]).join(" ");
    const X = ngramMatrix(v, ["", "😀😀", "东京是日本的首都", long, "zzzz qqqq", "   \n\t"]);
    expectValidCsr(X);
    expect(X.rows).toBe(6);
    expect(rowOf(X, 0).cols).toEqual([]);
    expectClose(blockNormsSq(v, X, 1), [0, 0.5], { abs: 1e-6 }); // no \w token: char block only
    expectClose(blockNormsSq(v, X, 2), [0.5, 0.5], { abs: 1e-6 }); // one token (no spaces), many char n-grams
    expectClose(blockNormsSq(v, X, 3), [0.5, 0.5], { abs: 1e-6 }); // tf in the thousands
    expect(rowOf(X, 4).cols).toEqual([]);
    expect(rowOf(X, 5).cols).toEqual([]);

    const none = fitNgramVocabulary({ dfTexts: [] });
    expect(none.size).toBe(0);
    const E = ngramMatrix(none, ["anything"]);
    expect([E.rows, E.cols, E.indices.length]).toEqual([1, 0, 0]);
  });

  it("JSON round trip gives identical matrices and survives JSON.stringify", () => {
    const pool = Array.from(
      { length: 40 },
      (_, i) => `text number ${i % 7} about ${["cats", "dogs", "birds"][i % 3]}!`,
    );
    const v = fitNgramVocabulary({ dfTexts: pool, featureTexts: pool.slice(0, 20) });
    const back = vocabularyFromJSON(JSON.parse(JSON.stringify(vocabularyToJSON(v))));
    expect(back.size).toBe(v.size);
    expect(Array.from(back.idf)).toEqual(Array.from(v.idf));
    const a = ngramMatrix(v, pool);
    const b = ngramMatrix(back, pool);
    expect(Array.from(b.indptr)).toEqual(Array.from(a.indptr));
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expect(vocabularyFromJSON(JSON.stringify(vocabularyToJSON(v))).size).toBe(v.size);
  });

  it("vocabularyFromJSON rejects garbage with a message that says what is wrong", () => {
    const good = vocabularyToJSON(fitNgramVocabulary({ dfTexts: docs }));
    const keys = new Uint32Array(Uint8Array.from(Buffer.from(good.keys, "base64")).buffer); // Buffer views a shared pool
    const swapped = Uint32Array.from(keys);
    [swapped[0], swapped[1]] = [keys[1]!, keys[0]!];
    const b64 = (a: Uint32Array): string => Buffer.from(a.buffer).toString("base64");
    const cases: [unknown, RegExp][] = [
      [null, /not a Margin n-gram vocabulary/],
      [{ format: "margin-classifier" }, /not a Margin n-gram vocabulary/],
      [{ ...good, version: 2 }, /unsupported n-gram vocabulary version 2/],
      [{ ...good, hashing: "fnv1a" }, /built with hashing "fnv1a"/],
      [{ ...good, docCount: -1 }, /invalid n-gram vocabulary/],
      [{ ...good, keys: "!!not base64!!" }, /field keys is not base64/],
      [{ ...good, size: good.size + 1 }, /field keys holds \d+ values, expected/],
      [{ ...good, keys: b64(swapped) }, /not strictly ascending at column 1/],
      [{ ...good, keys: b64(Uint32Array.from(keys, (k, i) => (i === 0 ? 1 << 30 : k))) }, /outside the key space/],
      [{ ...good, docCount: 1 }, /df \d+ at column \d+ is outside/],
    ];
    for (const [json, message] of cases) expect(() => vocabularyFromJSON(json)).toThrow(message);
    expect(() => vocabularyFromJSON("{")).toThrow(SyntaxError);
  });
});
