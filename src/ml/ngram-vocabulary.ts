import { z } from "zod";
import {
  hashNgrams,
  keyBlock,
  NGRAM_BUCKET_BITS,
  NGRAM_HASHING_ID,
  NgramKeyBuffer,
  WORD_BLOCK,
} from "@/ml/ngram-hashing";
import { emptyCsr, type CsrMatrix } from "@/ml/sparse-matrix";

/**
 * The sparse TF-IDF block: which hashed n-gram keys are columns and their document frequencies. Equivalent to
 * scikit-learn's word (1,2) + char_wb (2,5) TfidfVectorizers with min_df, smooth_idf and sublinear_tf, hstacked,
 * except that columns are hashed keys (see ngram-hashing.ts) and the two blocks are scaled to a unit-norm row.
 */
export interface NgramVocabulary {
  /** Number of columns. */
  readonly size: number;
  /** [size] strictly ascending keys; column j is keys[j]. Word-block keys come first. */
  readonly keys: Uint32Array;
  /** [size] number of df texts containing each key. */
  readonly df: Int32Array;
  /** [size] ln((1 + docCount) / (1 + df)) + 1 (sklearn's smooth_idf). */
  readonly idf: Float64Array;
  /** Number of df texts. */
  readonly docCount: number;
  readonly minDf: number;
}

export interface NgramVocabularyOptions {
  /**
   * Minimum document frequency of a column. Default 2 (sklearn's reference setting: a key seen in one text only
   * cannot generalize), but 1 when there are fewer than MIN_DF_POOL df texts, where df = 2 would drop most of a
   * tiny project's vocabulary.
   */
  minDf?: number;
  /** Keep only the maxFeatures columns of highest df (ties: smaller key), after minDf and featureTexts. */
  maxFeatures?: number;
}

export const NGRAM_VOCABULARY_VERSION = 1;
const MIN_DF_POOL = 20;
const KEY_SPACE = 2 << NGRAM_BUCKET_BITS;
/**
 * Each block is L2-normalized (as each sklearn vectorizer's output is) and then scaled by 1/√2, so a row with both
 * blocks has norm 1 like every other Margin featurizer's vectors: the trainer's regularization strength keeps one
 * meaning whatever the featurizer, and the dense block concatenated next to it is not drowned out. (sklearn's hstack
 * has norm √2; its C = 10 corresponds to C = 20 on these rows.)
 */
const BLOCK_SCALE = Math.SQRT1_2;

/** 1 + ln(tf) for small tf: Math.log was the single most expensive line of the transform. */
const SUBLINEAR_TF = Float64Array.from({ length: 64 }, (_, t) => (t === 0 ? 0 : 1 + Math.log(t)));

function smoothIdf(docCount: number, df: number): number {
  return Math.log((1 + docCount) / (1 + df)) + 1;
}

function makeVocabulary(keys: Uint32Array, df: Int32Array, docCount: number, minDf: number): NgramVocabulary {
  const idf = new Float64Array(keys.length);
  for (let j = 0; j < keys.length; j++) idf[j] = smoothIdf(docCount, df[j]!);
  return { size: keys.length, keys, df, idf, docCount, minDf };
}

/**
 * Fits the columns. dfTexts (the project's whole pool, labeled or not) give df and idf; with featureTexts (the
 * training texts), a key must also occur in one of them — its weight would stay 0 under L2 anyway, so dropping it
 * only shrinks the stored model. Texts outside featureTexts are still transformable (their unknown keys are ignored).
 */
export function fitNgramVocabulary(
  input: { dfTexts: string[]; featureTexts?: string[] },
  options: NgramVocabularyOptions = {},
): NgramVocabulary {
  const N = input.dfTexts.length;
  const minDf = options.minDf ?? (N < MIN_DF_POOL ? 1 : 2);
  if (!Number.isInteger(minDf) || minDf < 1)
    throw new Error(`fitNgramVocabulary: minDf must be an integer ≥ 1, got ${minDf}`);
  const maxFeatures = options.maxFeatures;
  if (maxFeatures !== undefined && (!Number.isInteger(maxFeatures) || maxFeatures < 1)) {
    throw new Error(`fitNgramVocabulary: maxFeatures must be an integer ≥ 1, got ${maxFeatures}`);
  }
  const buf = new NgramKeyBuffer();
  // The key space is 2^23, so dense counters beat a hash map; lastDoc counts each key once per text without sorting.
  const df = new Int32Array(KEY_SPACE);
  const lastDoc = new Int32Array(KEY_SPACE).fill(-1);
  for (let d = 0; d < N; d++) {
    const keys = hashNgrams(input.dfTexts[d]!, buf);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (lastDoc[k] !== d) {
        lastDoc[k] = d;
        df[k] = df[k]! + 1;
      }
    }
  }
  let inFeatures: Uint8Array | null = null;
  if (input.featureTexts) {
    inFeatures = new Uint8Array(KEY_SPACE);
    for (const t of input.featureTexts) {
      const keys = hashNgrams(t, buf);
      for (let i = 0; i < keys.length; i++) inFeatures[keys[i]!] = 1;
    }
  }
  let count = 0;
  for (let k = 0; k < KEY_SPACE; k++) if (df[k]! >= minDf && (inFeatures === null || inFeatures[k] === 1)) count++;
  let kept = new Uint32Array(count);
  count = 0;
  for (let k = 0; k < KEY_SPACE; k++)
    if (df[k]! >= minDf && (inFeatures === null || inFeatures[k] === 1)) kept[count++] = k;
  if (maxFeatures !== undefined && kept.length > maxFeatures) {
    const order = Array.from(kept).sort((a, b) => df[b]! - df[a]! || a - b);
    kept = Uint32Array.from(order.slice(0, maxFeatures)).sort();
  }
  const keptDf = new Int32Array(kept.length);
  for (let j = 0; j < kept.length; j++) keptDf[j] = df[kept[j]!]!;
  return makeVocabulary(kept, keptDf, N, minDf);
}

/**
 * Open-addressing key → column table (load ≤ 1/2, linear probing). On AG News (vocabulary 1.1·10^5, 7.3·10^6 key
 * lookups) binary search over the sorted keys alone took 620 ms, the whole transform with this table 340 ms.
 */
interface KeyIndex {
  /** [2 · capacity] interleaved (key, column) pairs, so a probe touches one cache line. */
  slots: Int32Array;
  shift: number;
}
/** Never a key (keys are < 2^23), so it marks a free slot; Int32 slots keep probing in small-integer arithmetic. */
const EMPTY = -1;
const KEY_INDEX = new WeakMap<NgramVocabulary, KeyIndex>();

function keyIndex(vocab: NgramVocabulary): KeyIndex {
  const cached = KEY_INDEX.get(vocab);
  if (cached) return cached;
  let bits = 4;
  while (1 << bits < 2 * vocab.size) bits++;
  const slots = new Int32Array(2 << bits).fill(EMPTY);
  const shift = 32 - bits;
  const mask = (1 << bits) - 1;
  for (let j = 0; j < vocab.size; j++) {
    const k = vocab.keys[j]!;
    let s = Math.imul(k, 0x9e3779b1) >>> shift;
    while (slots[2 * s] !== EMPTY) s = (s + 1) & mask;
    slots[2 * s] = k;
    slots[2 * s + 1] = j;
  }
  const index = { slots, shift };
  KEY_INDEX.set(vocab, index);
  return index;
}

/** Rows = texts, columns = vocab.size; values per block (1 + ln tf) · idf, L2-normalized, × 1/√2. */
export function ngramMatrix(vocab: NgramVocabulary, texts: string[]): CsrMatrix {
  const rows = texts.length;
  if (vocab.size === 0) return emptyCsr(rows, 0);
  const { slots, shift } = keyIndex(vocab);
  const mask = (slots.length >>> 1) - 1;
  // Columns below firstCharCol are the word block (keys ascending, word block first).
  let firstCharCol = 0;
  while (firstCharCol < vocab.size && keyBlock(vocab.keys[firstCharCol]!) === WORD_BLOCK) firstCharCol++;
  const idf = vocab.idf;
  const buf = new NgramKeyBuffer();
  // Term counts per column, and which columns a row touched as a two-level bitset (bit per column, bit per 32-column
  // word): visiting set bits yields the row's columns in ascending order in time ∝ distinct columns + size/1024, where
  // sorting the row's keys (~800 for an AG News text) cost more than hashing them.
  const tf = new Int32Array(vocab.size);
  const bits = new Int32Array((vocab.size + 31) >>> 5);
  const summary = new Int32Array((bits.length + 31) >>> 5);
  let rowCols = new Int32Array(1024);
  let rowVals = new Float64Array(1024);
  const indptr = new Int32Array(rows + 1);
  let indices = new Int32Array(Math.max(1024, rows * 64));
  let values = new Float32Array(indices.length);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const keys = hashNgrams(texts[r]!, buf);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]! | 0;
      let s = Math.imul(k, 0x9e3779b1) >>> shift;
      let slot = slots[2 * s]!;
      while (slot !== k && slot !== EMPTY) {
        s = (s + 1) & mask;
        slot = slots[2 * s]!;
      }
      if (slot !== k) continue;
      const col = slots[2 * s + 1]!;
      if (tf[col] === 0) {
        const w = col >>> 5;
        bits[w] = bits[w]! | (1 << (col & 31));
        summary[w >>> 5] = summary[w >>> 5]! | (1 << (w & 31));
      }
      tf[col] = tf[col]! + 1;
    }
    let u = 0;
    let wordSq = 0;
    let charSq = 0;
    for (let sw = 0; sw < summary.length; sw++) {
      let sbits = summary[sw]!;
      if (sbits === 0) continue;
      summary[sw] = 0;
      while (sbits !== 0) {
        const low = sbits & -sbits;
        sbits ^= low;
        const w = (sw << 5) | (31 - Math.clz32(low));
        let wbits = bits[w]!;
        bits[w] = 0;
        while (wbits !== 0) {
          const lowBit = wbits & -wbits;
          wbits ^= lowBit;
          const col = (w << 5) | (31 - Math.clz32(lowBit));
          const t = tf[col]!;
          const v = (t < SUBLINEAR_TF.length ? SUBLINEAR_TF[t]! : 1 + Math.log(t)) * idf[col]!;
          tf[col] = 0;
          if (col < firstCharCol) wordSq += v * v;
          else charSq += v * v;
          if (u === rowCols.length) {
            const nc = new Int32Array(u * 2);
            nc.set(rowCols);
            rowCols = nc;
            const nv = new Float64Array(u * 2);
            nv.set(rowVals);
            rowVals = nv;
          }
          rowCols[u] = col;
          rowVals[u] = v;
          u++;
        }
      }
    }
    if (nnz + u > indices.length) {
      const cap = Math.max(nnz + u, indices.length * 2);
      const ni = new Int32Array(cap);
      ni.set(indices.subarray(0, nnz));
      indices = ni;
      const nv = new Float32Array(cap);
      nv.set(values.subarray(0, nnz));
      values = nv;
    }
    const wordScale = wordSq > 0 ? BLOCK_SCALE / Math.sqrt(wordSq) : 0;
    const charScale = charSq > 0 ? BLOCK_SCALE / Math.sqrt(charSq) : 0;
    for (let i = 0; i < u; i++) {
      const col = rowCols[i]!;
      indices[nnz] = col;
      values[nnz] = rowVals[i]! * (col < firstCharCol ? wordScale : charScale);
      nnz++;
    }
    indptr[r + 1] = nnz;
  }
  return { rows, cols: vocab.size, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

const vocabularySchema = z.object({
  format: z.literal("margin-ngram-vocabulary"),
  version: z.literal(NGRAM_VOCABULARY_VERSION),
  hashing: z.string(),
  docCount: z.number().int().nonnegative(),
  minDf: z.number().int().positive(),
  size: z.number().int().nonnegative(),
  /** base64 of little-endian uint32 keys. */
  keys: z.string(),
  /** base64 of little-endian int32 document frequencies; idf is recomputed from them, bit for bit. */
  df: z.string(),
});
export type NgramVocabularyJSON = z.infer<typeof vocabularySchema>;

/** Little-endian bytes (all supported platforms are little-endian) of a typed array, as base64. */
function toBase64(a: Uint32Array | Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function fromBase64(s: string, length: number, field: string): Uint8Array {
  // Buffer.from skips characters that are not base64; a corrupted string must fail, not shrink.
  if (!BASE64.test(s)) throw new Error(`invalid n-gram vocabulary: field ${field} is not base64`);
  const buf = Buffer.from(s, "base64");
  if (buf.byteLength !== length * 4) {
    throw new Error(`invalid n-gram vocabulary: field ${field} holds ${buf.byteLength / 4} values, expected ${length}`);
  }
  const out = new Uint8Array(length * 4);
  out.set(buf);
  return out;
}

export function vocabularyToJSON(vocab: NgramVocabulary): NgramVocabularyJSON {
  return {
    format: "margin-ngram-vocabulary",
    version: NGRAM_VOCABULARY_VERSION,
    hashing: NGRAM_HASHING_ID,
    docCount: vocab.docCount,
    minDf: vocab.minDf,
    size: vocab.size,
    keys: toBase64(vocab.keys),
    df: toBase64(vocab.df),
  };
}

/** Parses and checks a stored vocabulary; throws an Error naming what is wrong. */
export function vocabularyFromJSON(json: unknown): NgramVocabulary {
  const obj = (typeof json === "string" ? JSON.parse(json) : json) as unknown;
  if (typeof obj !== "object" || obj === null || (obj as { format?: unknown }).format !== "margin-ngram-vocabulary") {
    throw new Error("not a Margin n-gram vocabulary (format ≠ margin-ngram-vocabulary)");
  }
  const version = (obj as { version?: unknown }).version;
  if (version !== NGRAM_VOCABULARY_VERSION) {
    throw new Error(
      `unsupported n-gram vocabulary version ${String(version)} (this build reads version ${NGRAM_VOCABULARY_VERSION})`,
    );
  }
  const parsed = vocabularySchema.safeParse(obj);
  if (!parsed.success) throw new Error(`invalid n-gram vocabulary: ${parsed.error.message}`);
  const v = parsed.data;
  if (v.hashing !== NGRAM_HASHING_ID) {
    throw new Error(
      `n-gram vocabulary was built with hashing "${v.hashing}"; this build hashes with "${NGRAM_HASHING_ID}"`,
    );
  }
  const keys = new Uint32Array(fromBase64(v.keys, v.size, "keys").buffer);
  const df = new Int32Array(fromBase64(v.df, v.size, "df").buffer);
  for (let j = 0; j < v.size; j++) {
    const k = keys[j]!;
    if (k >= KEY_SPACE) throw new Error(`invalid n-gram vocabulary: key ${k} at column ${j} is outside the key space`);
    if (j > 0 && k <= keys[j - 1]!)
      throw new Error(`invalid n-gram vocabulary: keys not strictly ascending at column ${j}`);
    const d = df[j]!;
    if (d < v.minDf || d > v.docCount) {
      throw new Error(
        `invalid n-gram vocabulary: df ${d} at column ${j} is outside [minDf ${v.minDf}, docCount ${v.docCount}]`,
      );
    }
  }
  return makeVocabulary(keys, df, v.docCount, v.minDf);
}
