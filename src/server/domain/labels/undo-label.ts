import { z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";
import { refreshItemLabel } from "@/server/domain/labels/effective-label";
import { AppError } from "@/server/errors";

export const undoLabelInput = z.object({ projectId: z.number().int().positive() });

/**
 * Undoes the annotator's latest label in a project: the annotation is marked undone (never deleted), the item's
 * label falls back to what it was before, and the item is leased back to the annotator so the queue shows it again.
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
    const newer = await tx.annotation.findFirst({ where: { itemId: last.itemId, undoneAt: null, id: { gt: last.id } } });
    if (newer) throw new AppError("CONFLICT", "Someone labeled this item after you; your label is no longer the current one");
    await tx.annotation.update({ where: { id: last.id }, data: { undoneAt: new Date() } });
    const project = await tx.project.findUniqueOrThrow({ where: { id: projectId } });
    const item = await refreshItemLabel(tx, last.itemId);
    await tx.item.update({
      where: { id: last.itemId },
      data: { leasedById: userId, leaseExpiresAt: new Date(Date.now() + project.leaseSeconds * 1000), leaseReason: "undo" },
    });
    await recordAudit(tx, { projectId, userId, action: "label.undo", entityType: "item", entityId: last.itemId, data: { annotationId: last.id, classIds: last.classIds } });
    return { itemId: item.id, restoredClassIds: item.labelClassIds, labelStatus: item.labelStatus };
  });
}
