import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import type { embedJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

const BATCH = 5000;

/** Embeds a project's items (optionally an id range) that have no cached vector yet; resumable by design. */
export const handleEmbed: JobHandler<typeof embedJob> = async ({ projectId, fromId, toId }, ctx) => {
  const project = await ctx.db.project.findUniqueOrThrow({ where: { id: projectId } });
  const featurizer = await getFeaturizer(project.featurizerId);
  const where = { projectId, id: { gte: fromId ?? 0, ...(toId === undefined ? {} : { lte: toId }) } };
  const total = await ctx.db.item.count({ where });
  let cursor = fromId ?? 0;
  let done = 0;
  for (;;) {
    await ctx.throwIfCancelled();
    const items = await ctx.db.item.findMany({ where: { ...where, id: { ...where.id, gte: cursor } }, orderBy: { id: "asc" }, take: BATCH, select: { id: true, contentHash: true, text: true } });
    if (items.length === 0) break;
    await embedTexts(ctx.db, featurizer, items);
    done += items.length;
    cursor = items[items.length - 1]!.id + 1;
    await ctx.progress(done, total);
  }
  await ctx.log(`${done} items have ${featurizer.id} vectors`);
  return { embedded: done };
};
