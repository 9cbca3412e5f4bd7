import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { marginCacheDir } from "@/server/local-dirs";

// 64-byte header: magic, dim, item count, format version, the block's fingerprint (32 hex characters), padding; then
// the item ids (int32), each item's content hash (32 bytes) and the vectors (float32), little-endian, so the arrays
// are views on the file's bytes. Format 2 added the hashes: training checks the rows it takes against the content
// hashes it read with its labels, with no query per block (a file of format 1 is the wrong size and rebuilt).
const MAGIC = 0x3142564d; // "MVB1"
const FORMAT = 2;
const HEADER = 64;
/** Bytes per item of the content hashes: a SHA-256 (items/content-hash.ts) as raw bytes. */
export const HASH_BYTES = 32;
const HEX_HASH = /^[0-9a-f]{64}$/;
const ZERO_HASH = "0".repeat(64);
// The arrays are views on the file's bytes: a big-endian host keeps no files and reads the stored blocks instead.
const USABLE = os.endianness() === "LE";

export interface BlockFile {
  fingerprint: string;
  ids: Int32Array;
  /** [ids.length × HASH_BYTES]: each item's content hash as bytes (hashBytes); zeros for a hash that is not one. */
  hashes: Uint8Array;
  /** [ids.length × dim], row-major. */
  X: Float32Array;
}

/**
 * Where this host keeps its copy of a vector block: a disposable cache, one file per block, under the user's cache
 * folder (MARGIN_DATA_DIR or XDG_CACHE_HOME), per database so that two databases with the same project ids do not
 * evict each other's files.
 */
export function blockFilePath(database: string, featurizerId: string, projectId: number, blockNo: number): string {
  return path.join(databaseFolder(database), safe(featurizerId), `${projectId}`, `${blockNo}.bin`);
}

/** Removes every block file of a database (a dropped test or benchmark database; nothing else needs it). */
export async function removeBlockFiles(database: string): Promise<void> {
  await fs.rm(databaseFolder(database), { recursive: true, force: true });
}

/** The folder of a database's block files: <featurizer>/<project id>/<block>.bin under it. */
export function databaseFolder(database: string): string {
  return path.join(marginCacheDir(), "vector-blocks", safe(database));
}

/** A featurizer id as its folder's name. */
export function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9@._+-]/g, "_");
}

/** The file's block when it exists, is whole and has this dimension; null otherwise (the caller rebuilds it). */
export async function readBlockFile(file: string, dim: number): Promise<BlockFile | null> {
  if (!USABLE) return null;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    return null;
  }
  if (bytes.byteLength < HEADER || bytes.byteOffset % 4 !== 0) return null;
  const head = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  const n = head.getUint32(8, true);
  if (
    head.getUint32(0, true) !== MAGIC ||
    head.getUint32(4, true) !== dim ||
    head.getUint32(12, true) !== FORMAT ||
    bytes.byteLength !== HEADER + n * (4 + HASH_BYTES + 4 * dim)
  )
    return null;
  return {
    fingerprint: bytes.toString("latin1", 16, 48),
    ids: new Int32Array(bytes.buffer, bytes.byteOffset + HEADER, n),
    hashes: new Uint8Array(bytes.buffer, bytes.byteOffset + HEADER + n * 4, n * HASH_BYTES),
    X: new Float32Array(bytes.buffer, bytes.byteOffset + HEADER + n * (4 + HASH_BYTES), n * dim),
  };
}

/**
 * Writes a block's file through a temporary name and a rename, so a reader (or another worker sharing the folder)
 * sees the old file or the new one, never half of one. A cache: failing to write is not an error.
 */
export async function writeBlockFile(file: string, dim: number, block: BlockFile): Promise<void> {
  if (!USABLE) return;
  const n = block.ids.length;
  if (block.hashes.byteLength !== n * HASH_BYTES)
    throw new Error(`block file ${file}: ${n} ids but not as many hashes`);
  const head = Buffer.alloc(HEADER);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(dim, 4);
  head.writeUInt32LE(n, 8);
  head.writeUInt32LE(FORMAT, 12);
  head.write(block.fingerprint.slice(0, 32), 16, "latin1");
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(temp, [
      head,
      new Uint8Array(block.ids.buffer, block.ids.byteOffset, n * 4),
      block.hashes,
      new Uint8Array(block.X.buffer, block.X.byteOffset, n * dim * 4),
    ]);
    await fs.rename(temp, file);
  } catch {
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Content hashes as a file stores them: each SHA-256 hex digest as its 32 bytes. Anything else (no such hash is
 * written by Margin) leaves its slot zero, and hashMatches never matches a zero slot, so such an item is read by
 * lookup instead.
 */
export function hashBytes(hashes: readonly string[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((hash, r) => {
    if (HEX_HASH.test(hash)) Buffer.from(out.buffer, out.byteOffset + r * HASH_BYTES, HASH_BYTES).write(hash, "hex");
  });
  return out;
}

/** Whether row `r` of a block file holds the item whose content hash is `hash` (and so that hash's vector). */
export function hashMatches(file: BlockFile, r: number, hash: string): boolean {
  if (hash === ZERO_HASH || !HEX_HASH.test(hash)) return false;
  const at = file.hashes.byteOffset + r * HASH_BYTES;
  return Buffer.from(file.hashes.buffer, at, HASH_BYTES).toString("hex") === hash;
}
