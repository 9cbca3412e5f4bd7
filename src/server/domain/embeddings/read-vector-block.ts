import { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { buildVectorBlock } from "@/server/domain/embeddings/build-vector-block";
import type { ItemVectors } from "@/server/domain/embeddings/read-item-vectors";
import {
  blockFilePath,
  hashBytes,
  readBlockFile,
  writeBlockFile,
  type BlockFile,
} from "@/server/domain/embeddings/vector-block-file";
import { blockRange } from "@/server/domain/embeddings/vector-block-range";
import { float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import type { Featurizer } from "@/server/featurizers/featurizer";
import { pgPool } from "@/server/pg-pool";

/**
 * The fingerprint of the items `i` of a block: which ids it holds with which content hashes, as 32 hex digits. Each
 * item's content hash is hashed with its id as the seed (hashtextextended, the function PostgreSQL's hash partitioning
 * relies on, stable across versions) and the 64-bit results combined by XOR (ids are unique in a block, so no pair
 * cancels out): ~2.3 ms per 4,096-item block against ~8–13 ms for the md5 of the "id:hash" list it replaces, which
 * built a 300 kB string per block (load ~8). A different item set matches by accident with probability 2⁻⁶⁴; the
 * files live in the worker's own cache folder, so nobody chooses them to collide. Zero rows give NULL.
 */
const FINGERPRINT = Prisma.sql`lpad(to_hex(bit_xor(hashtextextended(i.content_hash, i.id))), 32, '0')`;

/**
 * The vectors of a project's items in one vector block, limited to ids in [fromId, toId] (and with `unscoredBy` to
 * the items that version has not scored), in id order; null when no such item exists. With `withText`, the selected
 * items' texts too (a hybrid model's n-gram block reads them).
 *
 * One small query reads the items in the block's range (ids, a fingerprint of their ids and content hashes, the
 * texts asked for) and whether the stored block still matches them. The vectors then come from the first of three
 * places that is fresh (docs/decisions/vector-blocks.md): this host's file of the block when its fingerprint is the
 * items' (vectors are a function of the content hashes, so a matching file cannot be wrong); else the stored block
 * row, copied into the file; else a rebuild from item + embedding_cache, stored as a row and a file.
 */
export async function readVectorBlock(
  db: DbOrTx,
  featurizer: Featurizer,
  projectId: number,
  blockNo: number,
  options: { fromId?: number; toId?: number; unscoredBy?: number; withText?: boolean } = {},
): Promise<ItemVectors | null> {
  const dim = featurizer.dim;
  const { lo, hi } = blockRange(blockNo);
  const from = Math.max(lo, options.fromId ?? lo);
  const to = Math.min(hi, options.toId ?? hi);
  if (from > to) return null;
  const unscored =
    options.unscoredBy === undefined
      ? Prisma.empty
      : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.model_version_id = ${options.unscoredBy} AND p.item_id = i.id)`;
  const wanted = Prisma.sql`i.id >= ${from} AND i.id <= ${to} ${unscored}`;
  const textColumn = options.withText
    ? Prisma.sql`array_agg(i.text ORDER BY i.id) FILTER (WHERE ${wanted})`
    : Prisma.sql`NULL::text[]`;
  // Ids travel only when the caller wants part of the block; a matching file has them all.
  const [row] = await db.$queryRaw<
    {
      database: string;
      fingerprint: string | null;
      n: number;
      take: number[] | null;
      taken: number;
      texts: string[] | null;
      stored: boolean | null;
    }[]
  >`
    SELECT current_database() AS database, s.fingerprint, s.n, s.taken, s.texts,
           CASE WHEN s.taken < s.n THEN s.take END AS take,
           b.item_ids = s.ids AND length(b.vectors) = s.n * ${dim * 4} AS stored
    FROM (SELECT array_agg(i.id ORDER BY i.id) AS ids, count(*)::int AS n,
                 ${FINGERPRINT} AS fingerprint,
                 array_agg(i.id ORDER BY i.id) FILTER (WHERE ${wanted}) AS take,
                 count(*) FILTER (WHERE ${wanted})::int AS taken, ${textColumn} AS texts
          FROM item i WHERE i.project_id = ${projectId} AND i.id >= ${lo} AND i.id <= ${hi}) s
    LEFT JOIN vector_block b
      ON b.project_id = ${projectId} AND b.featurizer_id = ${featurizer.id} AND b.block_no = ${blockNo} AND b.dim = ${dim}`;
  if (!row?.fingerprint || row.taken === 0) return null;
  const texts = options.withText ? row.texts : null;

  const file = blockFilePath(row.database, featurizer.id, projectId, blockNo);
  let block = await readBlockFile(file, dim);
  if (block?.fingerprint !== row.fingerprint || block.ids.length !== row.n) {
    block = row.stored ? await storedBlock(featurizer, projectId, blockNo) : null;
    if (block) await writeBlockFile(file, dim, block);
    else {
      const built = await buildVectorBlock(db, featurizer, projectId, blockNo);
      if (!built)
        throw new Error(`vector block ${blockNo} of project ${projectId}: its items disappeared while reading`);
      await cacheBlockFile(db, featurizer, projectId, blockNo, built);
      block = { fingerprint: "", ids: built.ids, hashes: new Uint8Array(0), X: built.X };
    }
  }
  if (!row.take) {
    if (block.ids.length !== row.n)
      throw new Error(`vector block ${blockNo} of project ${projectId}: its items changed while reading`);
    return { ids: block.ids, X: block.X, texts };
  }
  const take = Int32Array.from(row.take);
  return { ids: take, X: selectRows(block.ids, block.X, dim, take, blockNo), texts };
}

/**
 * Writes this host's file of a block just built (the embed job's blocks), when the project's items in its range are
 * still exactly the block's: the file then carries their fingerprint, as readVectorBlock would have written it.
 */
export async function cacheBlockFile(
  db: DbOrTx,
  featurizer: Featurizer,
  projectId: number,
  blockNo: number,
  block: { ids: Int32Array; X: Float32Array },
): Promise<void> {
  const { lo, hi } = blockRange(blockNo);
  const [row] = await db.$queryRaw<
    { database: string; fingerprint: string | null; ids: number[] | null; hashes: string[] | null }[]
  >`
    SELECT current_database() AS database, array_agg(i.id ORDER BY i.id) AS ids,
           array_agg(i.content_hash ORDER BY i.id) AS hashes, ${FINGERPRINT} AS fingerprint
    FROM item i WHERE i.project_id = ${projectId} AND i.id >= ${lo} AND i.id <= ${hi}`;
  if (!row?.fingerprint || !row.ids || !row.hashes || row.ids.length !== block.ids.length) return;
  if (!row.ids.every((id, i) => id === block.ids[i])) return;
  const file = blockFilePath(row.database, featurizer.id, projectId, blockNo);
  await writeBlockFile(file, featurizer.dim, {
    fingerprint: row.fingerprint,
    ids: block.ids,
    hashes: hashBytes(row.hashes),
    X: block.X,
  });
}

/**
 * A stored block over the plain pg pool (for a 3.2 MB bytea 3× faster than through Prisma,
 * bench/loop/vector-store-options.ts) with the fingerprint and content hashes of the items it was checked against in
 * the same statement, or null when the row no longer holds exactly the project's items in its range.
 */
async function storedBlock(featurizer: Featurizer, projectId: number, blockNo: number): Promise<BlockFile | null> {
  const { lo, hi } = blockRange(blockNo);
  const { rows } = await pgPool().query<{
    item_ids: number[];
    vectors: Buffer;
    fingerprint: string;
    hashes: string[];
  }>(
    `SELECT b.item_ids, b.vectors, s.fingerprint, s.hashes
     FROM vector_block b,
          (SELECT array_agg(i.id ORDER BY i.id) AS ids, array_agg(i.content_hash ORDER BY i.id) AS hashes,
                  ${FINGERPRINT.sql} AS fingerprint
           FROM item i WHERE i.project_id = $1 AND i.id >= $4 AND i.id <= $5) s
     WHERE b.project_id = $1 AND b.featurizer_id = $2 AND b.block_no = $3 AND b.item_ids = s.ids`,
    [projectId, featurizer.id, blockNo, lo, hi],
  );
  const row = rows[0];
  const count = (row?.item_ids.length ?? 0) * featurizer.dim;
  if (!row || row.vectors.byteLength !== count * 4) return null;
  return {
    fingerprint: row.fingerprint,
    ids: Int32Array.from(row.item_ids),
    hashes: hashBytes(row.hashes),
    X: float32FromBytes(row.vectors, count),
  };
}

/** The rows of `X` [ids.length × dim] for `take`, a sorted subset of the sorted `ids`. */
function selectRows(ids: Int32Array, X: Float32Array, dim: number, take: Int32Array, blockNo: number): Float32Array {
  const out = new Float32Array(take.length * dim);
  let r = 0;
  for (let t = 0; t < take.length; t++) {
    while (r < ids.length && ids[r]! < take[t]!) r++;
    if (ids[r] !== take[t]) throw new Error(`vector block ${blockNo}: item ${take[t]} is not in the block`);
    out.set(X.subarray(r * dim, (r + 1) * dim), t * dim);
  }
  return out;
}
