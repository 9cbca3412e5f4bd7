import { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { buildVectorBlock } from "@/server/domain/embeddings/build-vector-block";
import type { ItemVectors } from "@/server/domain/embeddings/read-item-vectors";
import { blockRange } from "@/server/domain/embeddings/vector-block-range";
import { float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import type { Featurizer } from "@/server/featurizers/featurizer";

/**
 * The vectors of a project's items in one vector block, limited to ids in [fromId, toId] (and with `unscoredBy` to
 * the items that version has not scored), in id order; null when no such item exists. One round trip reads the
 * block row and the project's current item ids in its range: when they match, the block's bytes are the answer;
 * when they do not (items imported since, a block never built), the block is rebuilt from item + embedding_cache
 * first. With `withText`, the selected items' texts too (a hybrid model's n-gram block reads them).
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
  const [row] = await db.$queryRaw<
    { ids: number[] | null; take: number[] | null; texts: string[] | null; vectors: Uint8Array | null }[]
  >`
    SELECT s.ids, s.take, s.texts,
           CASE WHEN b.item_ids = s.ids AND length(b.vectors) = s.n * ${dim * 4} THEN b.vectors END AS vectors
    FROM (SELECT array_agg(i.id ORDER BY i.id) AS ids, count(*)::int AS n,
                 array_agg(i.id ORDER BY i.id) FILTER (WHERE ${wanted}) AS take, ${textColumn} AS texts
          FROM item i WHERE i.project_id = ${projectId} AND i.id >= ${lo} AND i.id <= ${hi}) s
    LEFT JOIN vector_block b
      ON b.project_id = ${projectId} AND b.featurizer_id = ${featurizer.id} AND b.block_no = ${blockNo} AND b.dim = ${dim}`;
  if (!row?.ids || !row.take) return null;
  const take = Int32Array.from(row.take);
  const texts = options.withText ? row.texts : null;

  let ids: Int32Array;
  let X: Float32Array;
  if (row.vectors) {
    // The block matched the items in its range: its rows are those ids, in order.
    ids = Int32Array.from(row.ids);
    X = float32FromBytes(row.vectors, ids.length * dim);
  } else {
    const built = await buildVectorBlock(db, featurizer, projectId, blockNo);
    if (!built) throw new Error(`vector block ${blockNo} of project ${projectId}: its items disappeared while reading`);
    ({ ids, X } = built);
  }
  if (take.length === ids.length) return { ids, X, texts };
  return { ids: take, X: selectRows(ids, X, dim, take, blockNo), texts };
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
