import { z } from "zod";
import { cosineSimilarities } from "@/ml/cosine-similarity";
import { TopKSelector } from "@/ml/top-k-selector";
import type { Db } from "@/server/db";
import { float32FromBytes } from "@/server/domain/embeddings/vector-bytes";
import { AppError } from "@/server/errors";
import { parseFeaturizerId } from "@/server/featurizers/featurizer-spec";

export const findSimilarItemsInput = z.object({
  projectId: z.number().int().positive(),
  itemId: z.number().int().positive(),
  limit: z.number().int().min(1).max(50).default(10),
});

// Items per round trip (their vectors arrive as one bytea) and items per request. The scan is brute force: every
// cached vector of the project is compared with the query, in id order, in batches. That is fine up to about 10^5
// items per request; past the cap the answer says how much it searched. An ANN index (pgvector/HNSW) is the way
// beyond, once the deployment has pgvector.
const BATCH = 5_000;
export const MAX_SCANNED = 100_000;

/**
 * The project's items nearest to one item by cosine similarity of the project featurizer's cached embeddings, best
 * first. Items whose vector is not cached yet (not scored since import) are skipped rather than embedded here: a
 * page view must not start embedding a million texts. For the same reason the query item must have a cached vector
 * too: loading a featurizer (word vectors, a TF.js model) belongs to the worker, not to a web request.
 */
export async function findSimilarItems(db: Db, rawInput: z.input<typeof findSimilarItemsInput>) {
  const { projectId, itemId, limit } = findSimilarItemsInput.parse(rawInput);
  const item = await db.item.findFirst({
    where: { id: itemId, projectId },
    select: { id: true, text: true, contentHash: true, project: { select: { featurizerId: true } } },
  });
  if (!item) throw new AppError("NOT_FOUND", `Item ${itemId} is not in project ${projectId}`);
  // A hybrid project's similarity is its dense block's (the n-gram block belongs to each model version).
  const featurizerId = parseFeaturizerId(item.project.featurizerId).dense;
  const query = await queryVector(db, featurizerId, item.id, item.contentHash);
  const dim = query.length;

  const top = new TopKSelector(limit);
  const scores = new Float64Array(BATCH);
  let after = 0;
  let scanned = 0;
  let compared = 0;
  let complete = false;
  while (scanned < MAX_SCANNED) {
    const [batch] = await db.$queryRaw<
      { last_id: number | null; ids: number[] | null; vectors: Uint8Array | null; n: number }[]
    >`
      SELECT max(s.id) AS last_id, count(*)::int AS n,
             array_agg(s.id ORDER BY s.id) FILTER (WHERE e.vector IS NOT NULL) AS ids,
             string_agg(e.vector, ''::bytea ORDER BY s.id) AS vectors
      FROM (SELECT id, content_hash FROM item WHERE project_id = ${projectId} AND id > ${after} ORDER BY id LIMIT ${Math.min(BATCH, MAX_SCANNED - scanned)}) s
      LEFT JOIN embedding_cache e ON e.featurizer_id = ${featurizerId} AND e.content_hash = s.content_hash AND e.dim = ${dim} AND length(e.vector) = ${dim * 4}`;
    if (!batch?.last_id) {
      complete = true;
      break;
    }
    scanned += batch.n;
    after = batch.last_id;
    const ids = batch.ids ?? [];
    if (ids.length && batch.vectors) {
      const X = float32FromBytes(batch.vectors, ids.length * dim);
      cosineSimilarities(query, X, ids.length, dim, scores);
      for (let r = 0; r < ids.length; r++) if (ids[r] !== itemId) top.push(scores[r]!, ids[r]!);
      compared += ids.length;
    }
  }
  if (!complete) complete = (await db.item.count({ where: { projectId, id: { gt: after } }, take: 1 })) === 0;

  const best = top.result();
  const rows = await db.item.findMany({
    where: { id: { in: best.ids } },
    select: {
      id: true,
      text: true,
      externalId: true,
      source: true,
      split: true,
      labelStatus: true,
      labelClassIds: true,
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    featurizerId,
    scanned,
    compared,
    complete,
    items: best.ids.flatMap((id, i) => {
      const row = byId.get(id);
      return row ? [{ ...row, text: row.text.slice(0, 400), similarity: best.scores[i]! }] : [];
    }),
  };
}

async function queryVector(db: Db, featurizerId: string, itemId: number, contentHash: string): Promise<Float32Array> {
  const cached = await db.embeddingCache.findUnique({
    where: { featurizerId_contentHash: { featurizerId, contentHash } },
  });
  if (!cached || cached.dim <= 0 || cached.vector.byteLength !== cached.dim * 4) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `Item ${itemId} has no embedding under ${featurizerId} yet: embeddings are computed after an import and when a model is trained and scores the project`,
    );
  }
  return float32FromBytes(cached.vector, cached.dim).slice();
}
