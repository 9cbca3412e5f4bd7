import type { Db } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

const BATCH = 5000;

/**
 * Embeds a project's items (optionally an id range) that have no cached vector for its featurizer yet, in batches
 * in id order; resumable by design (a rerun skips what the cache holds).
 */
export async function embedProject(
  db: Db,
  input: { projectId: number; fromId?: number; toId?: number },
  hooks: JobHooks,
): Promise<{ embedded: number }> {
  const { projectId, fromId, toId } = input;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  const featurizer = await getFeaturizer(project.featurizerId);
  const where = { projectId, id: { gte: fromId ?? 0, ...(toId === undefined ? {} : { lte: toId }) } };
  const total = await db.item.count({ where });
  let cursor = fromId ?? 0;
  let done = 0;
  for (;;) {
    await hooks.throwIfCancelled();
    const items = await db.item.findMany({
      where: { ...where, id: { ...where.id, gte: cursor } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, contentHash: true, text: true },
    });
    if (items.length === 0) break;
    await embedTexts(db, featurizer, items);
    done += items.length;
    cursor = items[items.length - 1]!.id + 1;
    await hooks.progress(done, total);
  }
  await hooks.log(`${done} items have ${featurizer.id} vectors`);
  return { embedded: done };
}
