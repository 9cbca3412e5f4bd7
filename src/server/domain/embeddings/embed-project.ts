import type { Db } from "@/server/db";
import { buildVectorBlock } from "@/server/domain/embeddings/build-vector-block";
import { cacheBlockFile } from "@/server/domain/embeddings/read-vector-block";
import { blockOf, blockRange } from "@/server/domain/embeddings/vector-block-range";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

/**
 * Embeds a project's items (optionally an id range) that have no cached vector for its featurizer yet, and writes
 * the vector blocks those items fall in, block by block in id order (stored rows, and this host's files), so that the
 * next scoring pass reads blocks instead of probing embedding_cache per item. Resumable by design: a rerun finds the vectors cached and rewrites
 * the same blocks.
 */
export async function embedProject(
  db: Db,
  input: { projectId: number; fromId?: number; toId?: number },
  hooks: JobHooks,
): Promise<{ embedded: number }> {
  const { projectId, fromId, toId } = input;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const featurizer = await getFeaturizer(project.featurizerId);
  const lo = fromId ?? 0;
  const hi = toId ?? 2 ** 31 - 1;
  const total = await db.item.count({ where: { projectId, id: { gte: lo, lte: hi } } });
  let cursor = lo;
  let done = 0;
  for (;;) {
    await hooks.throwIfCancelled();
    const [next] = await db.$queryRaw<{ id: number | null }[]>`
      SELECT min(id) AS id FROM item WHERE project_id = ${projectId} AND id >= ${cursor} AND id <= ${hi}`;
    if (next?.id === null || next?.id === undefined) break;
    const blockNo = blockOf(next.id);
    const block = await buildVectorBlock(db, featurizer, projectId, blockNo);
    if (block) await cacheBlockFile(db, featurizer, projectId, blockNo, block);
    done += block ? block.ids.filter((id) => id >= lo && id <= hi).length : 0;
    cursor = blockRange(blockNo).hi + 1;
    await hooks.progress(done, total);
  }
  await hooks.log(`${done} items have ${featurizer.id} vectors`);
  return { embedded: done };
}
