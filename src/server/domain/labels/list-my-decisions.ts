import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { annotateItemSelect } from "@/server/domain/queue/annotate-item-select";

export const myDecisionsInput = z.object({
  projectId: z.number().int().positive(),
  limit: z.number().int().min(1).max(50).default(10),
});

/**
 * The annotator's own latest decisions in a project (labels and skips, newest first; undone ones left out), each
 * with the item as the Annotate page shows it and whether the decision is still the item's current one: a decision
 * somebody (or the annotator) has since superseded cannot be reopened from here, the item page has its history.
 */
export async function listMyDecisions(db: DbOrTx, input: z.input<typeof myDecisionsInput>, userId: string) {
  const { projectId, limit } = myDecisionsInput.parse(input);
  const rows = await db.annotation.findMany({
    where: { projectId, userId, origin: "human", undoneAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: {
      item: { select: annotateItemSelect },
    },
  });
  // A decision is current while no newer, not-undone annotation exists on its item (anyone's).
  const itemIds = [...new Set(rows.map((a) => a.itemId))];
  const newest = itemIds.length
    ? await db.annotation.findMany({
        where: { itemId: { in: itemIds }, undoneAt: null },
        orderBy: [{ itemId: "asc" }, { createdAt: "desc" }, { id: "desc" }],
        distinct: ["itemId"],
        select: { id: true, itemId: true },
      })
    : [];
  const newestOf = new Map(newest.map((a) => [a.itemId, a.id]));
  return rows.map((a) => ({
    annotationId: a.id,
    createdAt: a.createdAt,
    classIds: a.classIds,
    skipped: a.skipped,
    skipReason: a.skipReason,
    current: newestOf.get(a.itemId) === a.id,
    item: a.item,
  }));
}
