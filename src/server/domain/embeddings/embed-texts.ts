import pLimit from "p-limit";
import type { DbOrTx } from "@/server/db";
import { bytesFromFloat32, float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import type { Featurizer } from "@/server/featurizers/featurizer";

// Texts per featurizer call and cache write.
const BATCH = 512;
// Hashes per cache read: one round trip returns up to this many vectors as one bytea (dim × 4 bytes each).
const READ_BATCH = 10_000;
// Read batches in flight at once (each holds one pooled connection).
const READ_CONCURRENCY = 3;

export interface TextRef {
  contentHash: string;
  /** May be left out when `projectId` is given: a text is then read from the project's items only if it must be embedded. */
  text?: string;
}

export interface EmbedOptions {
  onProgress?: (done: number) => Promise<void>;
  /** Where to read the texts that refs leave out. */
  projectId?: number;
  /** Allocate the result in shared memory, so a fit's helper threads read it without a copy. */
  shared?: boolean;
  /**
   * Store computed vectors in `embedding_cache` (default true). Free texts sent for classification (playground,
   * HTTP API) pass false: they are read from the cache when present but never added to it.
   */
  store?: boolean;
}

/**
 * Vectors for the given texts, [n × dim] row-major in input order. Vectors already in `embedding_cache` for this
 * featurizer are read (the database concatenates each batch into one bytea, so a batch is one value to decode, not
 * thousands of rows); the others are computed in batches and, unless `store` is false, stored (ON CONFLICT DO
 * NOTHING, so concurrent workers embedding the same text is harmless). The one way any code embeds texts.
 */
export async function embedTexts(
  db: DbOrTx,
  featurizer: Featurizer,
  refs: TextRef[],
  options: EmbedOptions = {},
): Promise<Float32Array> {
  const dim = featurizer.dim;
  const out = options.shared
    ? new Float32Array(new SharedArrayBuffer(refs.length * dim * 4))
    : new Float32Array(refs.length * dim);
  const rowsByHash = new Map<string, number[]>();
  refs.forEach((ref, i) => {
    const rows = rowsByHash.get(ref.contentHash);
    if (rows) rows.push(i);
    else rowsByHash.set(ref.contentHash, [i]);
  });
  const hashes = [...rowsByHash.keys()];

  // A few batches in flight: the database looks up one batch's hashes while this process decodes another's.
  const limit = pLimit(READ_CONCURRENCY);
  const slices = Array.from({ length: Math.ceil(hashes.length / READ_BATCH) }, (_, b) =>
    hashes.slice(b * READ_BATCH, (b + 1) * READ_BATCH),
  );
  await Promise.all(
    slices.map((slice) =>
      limit(async () => {
        const [found] = await db.$queryRaw<{ ordinals: number[] | null; vectors: Uint8Array | null }[]>`
          SELECT array_agg(u.o::int ORDER BY u.o) AS ordinals, string_agg(e.vector, ''::bytea ORDER BY u.o) AS vectors
          FROM unnest(${slice}::text[]) WITH ORDINALITY AS u(h, o)
          JOIN embedding_cache e ON e.featurizer_id = ${featurizer.id} AND e.content_hash = u.h
          WHERE e.dim = ${dim} AND length(e.vector) = ${dim * 4}`;
        if (!found?.ordinals || !found.vectors) return;
        const vectors = float32FromBytes(found.vectors, found.ordinals.length * dim);
        found.ordinals.forEach((ordinal, r) => {
          const hash = slice[ordinal - 1]!;
          const vector = vectors.subarray(r * dim, (r + 1) * dim);
          for (const i of rowsByHash.get(hash)!) out.set(vector, i * dim);
          rowsByHash.delete(hash);
        });
      }),
    ),
  );

  const missing = [...rowsByHash.entries()];
  let done = refs.length - missing.reduce((sum, [, rows]) => sum + rows.length, 0);
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const texts = await textsOf(
      db,
      batch.map(([hash, rows]) => ({ contentHash: hash, text: refs[rows[0]!]!.text })),
      options.projectId,
    );
    const vectors = await featurizer.embed(texts);
    batch.forEach(([, rows], b) => {
      for (const i of rows) out.set(vectors.subarray(b * dim, (b + 1) * dim), i * dim);
    });
    if (options.store === false) {
      done += batch.reduce((sum, [, rows]) => sum + rows.length, 0);
      await options.onProgress?.(done);
      continue;
    }
    const bytes = bytesFromFloat32(vectors.subarray(0, batch.length * dim));
    await db.$executeRaw`
      INSERT INTO embedding_cache (featurizer_id, content_hash, dim, vector)
      SELECT ${featurizer.id}, u.h, ${dim}, substring(${bytes}::bytea FROM (u.o::int - 1) * ${dim * 4} + 1 FOR ${dim * 4})
      FROM unnest(${batch.map(([hash]) => hash)}::text[]) WITH ORDINALITY AS u(h, o)
      ON CONFLICT DO NOTHING`;
    done += batch.reduce((sum, [, rows]) => sum + rows.length, 0);
    await options.onProgress?.(done);
  }
  return out;
}

async function textsOf(db: DbOrTx, refs: TextRef[], projectId: number | undefined): Promise<string[]> {
  const absent = refs.filter((ref) => ref.text === undefined).map((ref) => ref.contentHash);
  if (absent.length === 0) return refs.map((ref) => ref.text!);
  if (projectId === undefined)
    throw new Error("embedTexts: a text is missing and no project was given to read it from");
  const rows = await db.$queryRaw<{ content_hash: string; text: string }[]>`
    SELECT content_hash, text FROM item WHERE project_id = ${projectId} AND content_hash = ANY(${absent}::text[])`;
  const byHash = new Map(rows.map((row) => [row.content_hash, row.text]));
  return refs.map((ref) => {
    const text = ref.text ?? byHash.get(ref.contentHash);
    if (text === undefined)
      throw new Error(`embedTexts: no item of project ${projectId} has content hash ${ref.contentHash}`);
    return text;
  });
}
