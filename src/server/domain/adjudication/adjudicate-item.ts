import { type z } from "zod";
import type { Db } from "@/server/db";
import { adjudicateInput } from "@/server/domain/adjudication/adjudication-input";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { checkDecisionClasses } from "@/server/domain/labels/check-decision-classes";
import { refreshItemLabel } from "@/server/domain/labels/effective-label";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";
import { AppError } from "@/server/errors";

/**
 * An admin decides an item whose votes disagree. The ruling is an annotation marked `adjudicated`: it becomes the
 * item's label (labels/effective-label.ts) without being a vote, and the votes stay in the history.
 */
export async function adjudicateItem(db: Db, input: z.input<typeof adjudicateInput>, adminId: string) {
  const { projectId, itemId, classIds: chosen, note } = adjudicateInput.parse(input);
  const classIds = [...new Set(chosen)];
  return db.$transaction(async (tx) => {
    await lockItemForLabel(tx, itemId);
    const item = await tx.item.findFirst({
      where: { id: itemId, projectId },
      include: { project: { include: { classes: { where: { archivedAt: null } } } } },
    });
    if (!item) throw new AppError("NOT_FOUND", `Item ${itemId} is not in project ${projectId}`);
    const { project } = item;
    checkDecisionClasses(project, classIds);
    const annotation = await tx.annotation.create({
      data: {
        projectId,
        itemId,
        classIds,
        origin: "human",
        adjudicated: true,
        userId: adminId,
        modelVersionId: project.activeModelVersionId,
        guidelineRevision: project.guidelineRevision,
        comment: note || null,
      },
    });
    const updated = await refreshItemLabel(tx, itemId);
    await recordAudit(tx, {
      projectId,
      userId: adminId,
      action: "label.adjudicate",
      entityType: "item",
      entityId: itemId,
      data: { annotationId: annotation.id, classIds, note: note ?? null },
    });
    return { annotationId: annotation.id, labelClassIds: updated.labelClassIds };
  });
}
