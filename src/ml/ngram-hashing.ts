/**
 * Hashes a text's word 1–2-grams and char_wb 2–5-grams into integer feature keys, reproducing scikit-learn's
 * TfidfVectorizer analyzers (lowercase=True; analyzer="word" with token_pattern `(?u)\b\w\w+\b`, ngram_range (1, 2);
 * analyzer="char_wb", ngram_range (2, 5)) so a Margin model can be checked against the sklearn pipeline it replaces.
 *
 * Key layout: key = block · 2^NGRAM_BUCKET_BITS + (murmur3(n-gram, seed of block) mod 2^NGRAM_BUCKET_BITS), block 0 =
 * word n-grams, 1 = char n-grams, so keys of the word block sort first and the whole key space (2^23) is small enough
 * for dense df counters at fit time. Why 2^22 buckets per block and not 2^20: most n-grams of a pool occur once, and
 * two such singletons sharing a bucket become a spurious df = 2 column. At 2^20 that added ~10% noise columns to the
 * word block (emotion: 36,048 word columns vs sklearn's 32,973; at 2^22: 33,764) and cost 0.2 macro-F1 there
 * (bench/ml/ngram-parity.ts); larger pools would fare worse. The price is 72 MB of transient counters while fitting.
 *
 * Hashing runs over Unicode code points (not UTF-16 units) because sklearn's n-gram lengths count code points: an
 * emoji is one character in a char 2-gram there, and must be here. Murmur3's 32-bit block step takes one code point
 * per step, so every n-gram starting at a position is hashed incrementally in one pass and no string is built.
 * Changing anything here changes every stored vocabulary: bump NGRAM_HASHING_ID.
 */

export const NGRAM_BUCKET_BITS = 22;
export const WORD_BLOCK = 0;
export const CHAR_BLOCK = 1;
/** Names the key function; stored with a vocabulary so keys from another hashing are refused, not misread. */
export const NGRAM_HASHING_ID = "murmur3-cp/w12/cwb25/b22";

const BUCKET_MASK = (1 << NGRAM_BUCKET_BITS) - 1;
const WORD_SEED = 0x2f6b1e4d;
const CHAR_SEED = 0x9e3779b1;
const SPACE = 32;
/** sklearn joins the tokens of a word n-gram with one space; the hash sees the same separator. */
const BIGRAM_JOINER = SPACE;

/** Block of a key (WORD_BLOCK or CHAR_BLOCK). */
export function keyBlock(key: number): number {
  return key >>> NGRAM_BUCKET_BITS;
}

function mix(h: number, cp: number): number {
  let k = Math.imul(cp, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, len: number): number {
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Python's str.split() separators (what sklearn's char_wb splits words on). JS's \s differs: it lacks U+001C–U+001F
 * and U+0085 and adds U+FEFF.
 */
function isPySpace(cp: number): boolean {
  if (cp <= 32) return cp === 32 || (cp >= 9 && cp <= 13) || (cp >= 28 && cp <= 31);
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/**
 * Python's Unicode \w: letters (L*), numbers (N*) and "_". Combining marks (M*) are not word characters there either,
 * so Devanagari vowel signs split tokens in both implementations. BMP answers are memoized in a bit table built on
 * first use; astral code points (rare) ask the regex each time.
 */
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;
let bmpWordTable: Uint8Array | null = null;
function isWordChar(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57) || cp === 95 || (cp >= 65 && cp <= 90);
  if (cp < 0x10000) {
    if (bmpWordTable === null) {
      bmpWordTable = new Uint8Array(0x10000);
      for (let c = 128; c < 0x10000; c++) if (WORD_CHAR.test(String.fromCharCode(c))) bmpWordTable[c] = 1;
    }
    return bmpWordTable[cp] === 1;
  }
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/** Reusable scratch space for hashNgrams: one per thread, so a featurize loop allocates nothing per text. */
export class NgramKeyBuffer {
  keys: Uint32Array = new Uint32Array(1024);
  /** Code points of the lower-cased text. */
  cps: Int32Array = new Int32Array(256);
  /** [start, end) of each word token in cps. */
  tokStart: Int32Array = new Int32Array(64);
  tokEnd: Int32Array = new Int32Array(64);
}

function growU32(a: Uint32Array, min: number): Uint32Array {
  const b = new Uint32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}
function growI32(a: Int32Array, min: number): Int32Array {
  const b = new Int32Array(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

/**
 * All n-gram keys of `text`, with repetitions (term counts), in no particular order: word unigrams and bigrams, then
 * char_wb 2–5-grams. Returns a view into `buf.keys`, valid until the next call with the same buffer.
 */
export function hashNgrams(text: string, buf: NgramKeyBuffer = new NgramKeyBuffer()): Uint32Array {
  const lower = text.toLowerCase();
  // Decode to code points once; both analyzers index into this.
  if (buf.cps.length < lower.length) buf.cps = new Int32Array(lower.length * 2);
  const cps = buf.cps;
  let m = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < lower.length) {
      const d = lower.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cps[m++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    cps[m++] = c;
  }

  let keys = buf.keys;
  let n = 0;

  // Word block: maximal runs of word characters of length ≥ 2 (= `\b\w\w+\b`), then consecutive pairs.
  let nTok = 0;
  for (let i = 0; i < m;) {
    if (!isWordChar(cps[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < m && isWordChar(cps[j]!)) j++;
    if (j - i >= 2) {
      if (nTok === buf.tokStart.length) {
        buf.tokStart = growI32(buf.tokStart, 0);
        buf.tokEnd = growI32(buf.tokEnd, 0);
      }
      buf.tokStart[nTok] = i;
      buf.tokEnd[nTok] = j;
      nTok++;
    }
    i = j;
  }
  const tokStart = buf.tokStart;
  const tokEnd = buf.tokEnd;
  if (keys.length < 2 * nTok) keys = buf.keys = growU32(keys, 2 * nTok);
  const wordBase = WORD_BLOCK << NGRAM_BUCKET_BITS;
  for (let t = 0; t < nTok; t++) {
    const s = tokStart[t]!;
    const e = tokEnd[t]!;
    let h = WORD_SEED;
    for (let i = s; i < e; i++) h = mix(h, cps[i]!);
    keys[n++] = wordBase | (finish(h, e - s) & BUCKET_MASK);
    if (t + 1 < nTok) {
      const s2 = tokStart[t + 1]!;
      const e2 = tokEnd[t + 1]!;
      h = mix(h, BIGRAM_JOINER);
      for (let i = s2; i < e2; i++) h = mix(h, cps[i]!);
      keys[n++] = wordBase | (finish(h, e - s + 1 + e2 - s2) & BUCKET_MASK);
    }
  }

  // Char block: each whitespace-separated word padded with one space on each side; every window of 2..5 code
  // points. sklearn emits a padded word shorter than n once (as its whole self) and stops growing n; since a padded
  // word has ≥ 3 code points, that is exactly "every window of length 2..min(5, padded length)".
  const charBase = CHAR_BLOCK << NGRAM_BUCKET_BITS;
  for (let i = 0; i < m;) {
    if (isPySpace(cps[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < m && !isPySpace(cps[j]!)) j++;
    const W = j - i + 2; // padded length
    const need = n + 4 * W;
    if (keys.length < need) keys = buf.keys = growU32(keys, need);
    for (let p = 0; p < W - 1; p++) {
      let h = CHAR_SEED;
      const maxLen = Math.min(5, W - p);
      for (let len = 1; len <= maxLen; len++) {
        const q = p + len - 1; // index in the padded word
        h = mix(h, q === 0 || q === W - 1 ? SPACE : cps[i + q - 1]!);
        if (len >= 2) keys[n++] = charBase | (finish(h, len) & BUCKET_MASK);
      }
    }
    i = j;
  }
  return keys.subarray(0, n);
}

/** The key of one n-gram string of a block (the reference the incremental hashing in hashNgrams must agree with). */
export function ngramKey(block: number, ngram: string): number {
  let h = block === WORD_BLOCK ? WORD_SEED : CHAR_SEED;
  let len = 0;
  for (const ch of ngram) {
    h = mix(h, ch.codePointAt(0)!);
    len++;
  }
  return (block << NGRAM_BUCKET_BITS) | (finish(h, len) & BUCKET_MASK);
}

/** sklearn's word analyzer as strings (lower-cased unigrams, then bigrams joined by a space): for tests and audits. */
export function wordNgrams(text: string): string[] {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
  const out = [...tokens];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]!} ${tokens[i + 1]!}`);
  return out;
}

/**
 * sklearn's `_char_wb_ngrams` for one lower-cased word (no whitespace inside), as strings in sklearn's order: for
 * n = 2..5, every window of the space-padded word; a padded word of length ≤ n is emitted once and ends the loop.
 */
export function charWbNgrams(word: string): string[] {
  const w = [" ", ...word, " "];
  const out: string[] = [];
  for (let n = 2; n <= 5; n++) {
    if (w.length <= n) {
      out.push(w.join(""));
      break;
    }
    for (let off = 0; off + n <= w.length; off++) out.push(w.slice(off, off + n).join(""));
  }
  return out;
}
