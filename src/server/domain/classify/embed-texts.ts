import type { DbOrTx } from "@/server/db";
import type { Featurizer } from "@/server/featurizers/featurizer";
import { contentHash } from "@/server/domain/items/content-hash";

/**
 * Embeds texts, reusing vectors already in `embedding_cache` for this featurizer (matched by content hash) and
 * computing only the rest. Read-only: texts sent for classification are not added to the shared cache.
 * Returns Float32Array [texts.length × dim].
 */
export async function embedTexts(db: DbOrTx, featurizer: Featurizer, texts: string[]): Promise<{ vectors: Float32Array; cached: number }> {
  const dim = featurizer.dim;
  const out = new Float32Array(texts.length * dim);
  const hashes = texts.map(contentHash);
  const rows = await db.embeddingCache.findMany({
    where: { featurizerId: featurizer.id, contentHash: { in: [...new Set(hashes)] }, dim },
    select: { contentHash: true, vector: true },
  });
  const byHash = new Map(rows.map((r) => [r.contentHash, r.vector]));
  const missing: number[] = [];
  hashes.forEach((hash, i) => {
    const bytes = byHash.get(hash);
    if (bytes && bytes.byteLength === dim * 4) {
      out.set(new Float32Array(Uint8Array.from(bytes).buffer), i * dim);
    } else missing.push(i);
  });
  if (missing.length) {
    const computed = await featurizer.embed(missing.map((i) => texts[i]!));
    missing.forEach((i, r) => out.set(computed.subarray(r * dim, (r + 1) * dim), i * dim));
  }
  return { vectors: out, cached: texts.length - missing.length };
}
