import { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import type { Featurizer } from "@/server/featurizers/featurizer";

export interface ItemVectors {
  /** Item ids, ascending [n]. */
  ids: Int32Array;
  /** Vectors [n × dim], row-major, in id order. */
  X: Float32Array;
  /** The items' texts in id order, when asked for (`withText`); null otherwise. */
  texts: string[] | null;
}

/**
 * The vectors of a project's next `limit` items with ids in [fromId, toId], in id order: one round trip that reads
 * items by id range joined with embedding_cache on content_hash, the database concatenating the vectors into one
 * bytea (viewed as floats, not decoded row by row) and never sending the texts. Items without a cached vector are
 * embedded and cached through embedTexts. With `unscoredBy`, only items that version has no prediction for; with
 * `withText`, the texts too (for models that read them). Returns null when the range holds no more items.
 */
export async function readItemVectors(
  db: DbOrTx,
  featurizer: Featurizer,
  projectId: number,
  fromId: number,
  toId: number,
  limit: number,
  options: { unscoredBy?: number; withText?: boolean } = {},
): Promise<ItemVectors | null> {
  const dim = featurizer.dim;
  const unscored =
    options.unscoredBy === undefined
      ? Prisma.empty
      : Prisma.sql`AND NOT EXISTS (SELECT 1 FROM prediction p WHERE p.model_version_id = ${options.unscoredBy} AND p.item_id = item.id)`;
  const text = options.withText ? Prisma.sql`array_agg(s.text ORDER BY s.id)` : Prisma.sql`NULL::text[]`;
  const [row] = await db.$queryRaw<
    { ids: number[] | null; vectors: Uint8Array | null; missing: number[] | null; texts: string[] | null }[]
  >`
    SELECT array_agg(s.id ORDER BY s.id) AS ids, ${text} AS texts,
           string_agg(CASE WHEN e.dim = ${dim} AND length(e.vector) = ${dim * 4} THEN e.vector ELSE decode(repeat('00', ${dim * 4}::int), 'hex') END, ''::bytea ORDER BY s.id) AS vectors,
           array_agg(s.id ORDER BY s.id) FILTER (WHERE e.dim IS DISTINCT FROM ${dim} OR length(e.vector) <> ${dim * 4}) AS missing
    FROM (SELECT id, content_hash${options.withText ? Prisma.sql`, text` : Prisma.empty} FROM item WHERE project_id = ${projectId} AND id >= ${fromId} AND id <= ${toId} ${unscored} ORDER BY id LIMIT ${limit}) s
    LEFT JOIN embedding_cache e ON e.featurizer_id = ${featurizer.id} AND e.content_hash = s.content_hash`;
  if (!row?.ids || !row.vectors) return null;
  const ids = Int32Array.from(row.ids);
  const X = float32FromBytes(row.vectors, ids.length * dim);
  if (row.missing?.length) {
    const items = await db.item.findMany({
      where: { id: { in: row.missing } },
      select: { id: true, contentHash: true, text: true },
    });
    const computed = await embedTexts(db, featurizer, items);
    const position = new Map(Array.from(ids, (id, i) => [id, i]));
    items.forEach((item, r) => X.set(computed.subarray(r * dim, (r + 1) * dim), position.get(item.id)! * dim));
  }
  return { ids, X, texts: row.texts };
}
