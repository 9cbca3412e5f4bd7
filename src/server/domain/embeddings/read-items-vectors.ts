import pLimit from "p-limit";
import type { DbOrTx } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { readVectorBlock } from "@/server/domain/embeddings/read-vector-block";
import { blockFilePath, hashMatches, readBlockFile } from "@/server/domain/embeddings/vector-block-file";
import { blockOf } from "@/server/domain/embeddings/vector-block-range";
import type { Featurizer } from "@/server/featurizers/featurizer";

/**
 * Items per touched vector block at or above which whole blocks are read instead of one cache lookup per item: a
 * block is one small query and a ~3 MB sequential read (~5–20 ms), a lookup costs ~50–100 µs per item, so the two
 * break even near 100–200 items per block. bench/results/train-read.md: 100,000 labels spread over 245 blocks of a
 * 1M-item project, 1.9 s against 5.4 s by lookup (load 13); 100,000 in 25 blocks, 0.5–1.6 s against 9–12 s.
 */
export const BLOCK_READ_MIN_ITEMS_PER_BLOCK = 256;
// Blocks read at once (a file read, or a pooled connection for readVectorBlock's small query).
const READ_CONCURRENCY = 3;

export interface ProjectItemRef {
  itemId: number;
  contentHash: string;
  text?: string;
}

/**
 * The vectors of some of a project's items, [n × dim] in input order — what training reads for its labeled items.
 * When the items fill the vector blocks they fall in densely enough, each block's rows come from this host's file of
 * the block, taken only where the file's row holds the item's id and the content hash the caller read with it
 * (vectors are a function of the content hash under the featurizer, so such a row cannot be wrong, however stale the
 * rest of the file): no query per block. A block without a usable file, or whose file misses at least
 * `minItemsPerBlock` of the items, is read through readVectorBlock (checked against the items, its file refreshed),
 * if the embed job has stored it. Every other item — in a sparse block, in a block not stored, new since the file was
 * written, or in a block that failed to read — is looked up by its content hash through embedTexts, which also
 * embeds what is not cached yet.
 */
export async function readItemsVectors(
  db: DbOrTx,
  featurizer: Featurizer,
  projectId: number,
  items: ProjectItemRef[],
  options: {
    shared?: boolean;
    onProgress?: (done: number) => Promise<void>;
    /** Default BLOCK_READ_MIN_ITEMS_PER_BLOCK. */
    minItemsPerBlock?: number;
  } = {},
): Promise<Float32Array> {
  const minItems = options.minItemsPerBlock ?? BLOCK_READ_MIN_ITEMS_PER_BLOCK;
  const rowsByBlock = new Map<number, number[]>();
  items.forEach((item, r) => {
    const block = blockOf(item.itemId);
    const rows = rowsByBlock.get(block);
    if (rows) rows.push(r);
    else rowsByBlock.set(block, [r]);
  });
  if (items.length < minItems * rowsByBlock.size)
    return embedTexts(db, featurizer, items, { projectId, shared: options.shared, onProgress: options.onProgress });
  // Only blocks the embed job has stored are read through readVectorBlock: rebuilding an absent one would embed
  // every item of its range, labeled or not, ahead of the embed job; their items are looked up instead.
  const [head] = await db.$queryRaw<{ database: string; stored: number[] }[]>`
    SELECT current_database() AS database, ARRAY(
      SELECT block_no FROM vector_block
      WHERE project_id = ${projectId} AND featurizer_id = ${featurizer.id} AND dim = ${featurizer.dim}
        AND block_no = ANY(${[...rowsByBlock.keys()]}::int[])) AS stored`;
  const storedBlocks = new Set(head!.stored);

  const dim = featurizer.dim;
  const out = options.shared
    ? new Float32Array(new SharedArrayBuffer(items.length * dim * 4))
    : new Float32Array(items.length * dim);
  const copy = (X: Float32Array, at: number, r: number) => out.set(X.subarray(at * dim, (at + 1) * dim), r * dim);
  const missing: number[] = [];
  let found = 0;
  const limit = pLimit(READ_CONCURRENCY);
  await Promise.all(
    [...rowsByBlock.entries()].map(([blockNo, rows]) =>
      limit(async () => {
        const file = await readBlockFile(blockFilePath(head!.database, featurizer.id, projectId, blockNo), dim);
        let misses: number[] = [];
        for (const r of rows) {
          const at = file ? indexOf(file.ids, items[r]!.itemId) : -1;
          if (at >= 0 && hashMatches(file!, at, items[r]!.contentHash)) copy(file!.X, at, r);
          else misses.push(r);
        }
        if (misses.length >= minItems && storedBlocks.has(blockNo)) {
          // A block that fails to read (its items changed under the read) leaves its items to the lookups below.
          const block = await readVectorBlock(db, featurizer, projectId, blockNo).catch(() => null);
          misses = misses.filter((r) => {
            const at = block ? indexOf(block.ids, items[r]!.itemId) : -1;
            if (at >= 0) copy(block!.X, at, r);
            return at < 0;
          });
        }
        missing.push(...misses);
        found += rows.length - misses.length;
        await options.onProgress?.(found);
      }),
    ),
  );
  if (missing.length > 0) {
    const vectors = await embedTexts(
      db,
      featurizer,
      missing.map((r) => items[r]!),
      { projectId },
    );
    missing.forEach((r, m) => out.set(vectors.subarray(m * dim, (m + 1) * dim), r * dim));
    await options.onProgress?.(items.length);
  }
  return out;
}

/** Position of `id` in the ascending `ids`, or −1. */
function indexOf(ids: Int32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
