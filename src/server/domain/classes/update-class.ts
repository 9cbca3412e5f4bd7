import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { recordGuidelineRevision } from "@/server/domain/guidelines/record-guideline-revision";
import { updateClassInput, type UpdateClassInput } from "@/server/domain/classes/class-input";
import { AppError } from "@/server/errors";

export async function updateClass(db: Db, input: UpdateClassInput, actorId: string | null) {
  const { id, ...data } = updateClassInput.parse(input);
  return db.$transaction(async (tx) => {
    const existing = await tx.labelClass.findUnique({ where: { id } });
    if (!existing || existing.archivedAt) throw new AppError("NOT_FOUND", `Class ${id} does not exist`);
    const updated = await tx.labelClass.update({ where: { id }, data });
    // A class's description is part of the annotators' guidelines: changing it makes a new guideline revision.
    if (data.description !== undefined && data.description !== existing.description)
      await recordGuidelineRevision(tx, existing.projectId, actorId);
    await recordAudit(tx, {
      projectId: existing.projectId,
      userId: actorId,
      action: "class.update",
      entityType: "label_class",
      entityId: id,
      data: {
        before: {
          name: existing.name,
          description: existing.description,
          hotkey: existing.hotkey,
          color: existing.color,
        },
        after: data,
      },
    });
    return updated;
  });
}
