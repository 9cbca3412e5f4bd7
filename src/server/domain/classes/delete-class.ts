import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { AppError } from "@/server/errors";

/**
 * Deletes an unused class. A class that labels already use is archived instead: history keeps its meaning and
 * re-creating the class by name restores it.
 */
export async function deleteClass(
  db: Db,
  id: number,
  actorId: string | null,
): Promise<{ id: number; mode: "deleted" | "archived" }> {
  return db.$transaction(async (tx) => {
    const existing = await tx.labelClass.findUnique({ where: { id } });
    if (!existing || existing.archivedAt) throw new AppError("NOT_FOUND", `Class ${id} does not exist`);
    const used = await tx.annotation.count({ where: { projectId: existing.projectId, classIds: { has: id } } });
    const mode = used > 0 ? "archived" : "deleted";
    if (mode === "archived")
      await tx.labelClass.update({ where: { id }, data: { archivedAt: new Date(), hotkey: null } });
    else await tx.labelClass.delete({ where: { id } });
    await recordAudit(tx, {
      projectId: existing.projectId,
      userId: actorId,
      action: `class.${mode === "archived" ? "archive" : "delete"}`,
      entityType: "label_class",
      entityId: id,
      data: { name: existing.name, labelsUsingIt: used },
    });
    return { id, mode };
  });
}
