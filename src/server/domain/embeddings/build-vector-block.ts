import type { DbOrTx } from "@/server/db";
import { readItemVectors, type ItemVectors } from "@/server/domain/embeddings/read-item-vectors";
import { BLOCK_IDS, blockRange } from "@/server/domain/embeddings/vector-block-range";
import { bytesFromFloat32 } from "@/server/domain/embeddings/vector-bytes";
import type { Featurizer } from "@/server/featurizers/featurizer";

/**
 * (Re)builds one vector block from the source of truth: the project's items in the block's id range joined with
 * embedding_cache (texts without a cached vector are embedded and cached on the way), written as one row. Returns
 * what it wrote, or null when the range holds no items (any old row is removed). Concurrent builders of the same
 * block write the same row (the vectors are a function of the texts); one that read an older set of items leaves a
 * row whose ids no longer match, which the next reader rebuilds — never a wrong vector.
 */
export async function buildVectorBlock(
  db: DbOrTx,
  featurizer: Featurizer,
  projectId: number,
  blockNo: number,
): Promise<ItemVectors | null> {
  const { lo, hi } = blockRange(blockNo);
  const block = await readItemVectors(db, featurizer, projectId, lo, hi, BLOCK_IDS);
  if (!block) {
    await db.$executeRaw`DELETE FROM vector_block WHERE project_id = ${projectId} AND featurizer_id = ${featurizer.id} AND block_no = ${blockNo}`;
    return null;
  }
  const ids = Array.from(block.ids);
  const vectors = bytesFromFloat32(block.X);
  await db.$executeRaw`
    INSERT INTO vector_block (project_id, featurizer_id, block_no, dim, item_ids, vectors)
    VALUES (${projectId}, ${featurizer.id}, ${blockNo}, ${featurizer.dim}, ${ids}::int[], ${vectors})
    ON CONFLICT (project_id, featurizer_id, block_no)
    DO UPDATE SET dim = excluded.dim, item_ids = excluded.item_ids, vectors = excluded.vectors, built_at = now()`;
  return block;
}
