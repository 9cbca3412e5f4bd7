import { z } from "zod";
import type { Db } from "@/server/db";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";
import { recordDecision } from "@/server/domain/labels/record-decision";
import { AppError } from "@/server/errors";

export const undoLabelInput = z.object({ projectId: z.number().int().positive() });

/**
 * Undoes the annotator's latest label in a project, through the one write path (labels/record-decision.ts): the
 * annotation is marked undone (never deleted), the item's label falls back to what it was before, and the item is
 * leased back to the annotator so the queue shows it again.
 */
export async function undoLabel(db: Db, input: z.input<typeof undoLabelInput>, userId: string) {
  const { projectId } = undoLabelInput.parse(input);
  return db.$transaction(async (tx) => {
    const last = await tx.annotation.findFirst({
      where: { projectId, userId, origin: "human", undoneAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    if (!last) throw new AppError("PRECONDITION_FAILED", "Nothing to undo");
    await lockItemForLabel(tx, last.itemId);
    const newer = await tx.annotation.findFirst({
      where: { itemId: last.itemId, undoneAt: null, id: { gt: last.id } },
    });
    if (newer)
      throw new AppError("CONFLICT", "Someone labeled this item after you; your label is no longer the current one");
    const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { leaseSeconds: true } });
    const item = await recordDecision(tx, {
      kind: "undo",
      userId,
      projectId,
      annotation: last,
      leaseSeconds: project.leaseSeconds,
    });
    return { itemId: item.id, restoredClassIds: item.labelClassIds, labelStatus: item.labelStatus };
  });
}
