import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { createClassInput, PALETTE, type CreateClassInput } from "@/server/domain/classes/class-input";
import { getProject } from "@/server/domain/projects/get-project";
import { AppError } from "@/server/errors";

export async function createClass(db: Db, input: CreateClassInput, actorId: string | null) {
  const data = createClassInput.parse(input);
  return db.$transaction(async (tx) => {
    const project = await getProject(tx, data.projectId);
    if (project.taskType === "binary" && project.classes.length >= 2) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "A binary project has exactly two classes; switch the project to multi-class to add more",
      );
    }
    const archived = await tx.labelClass.findUnique({
      where: { projectId_name: { projectId: data.projectId, name: data.name } },
    });
    if (archived && !archived.archivedAt)
      throw new AppError("CONFLICT", `A class named "${data.name}" already exists in this project`);
    const position = project.classes.reduce((max, c) => Math.max(max, c.position + 1), 0);
    const fields = {
      description: data.description,
      hotkey: data.hotkey ?? null,
      color: data.color ?? PALETTE[project.classes.length % PALETTE.length]!,
      position,
    };
    // Re-creating an archived class restores it, so its past labels keep their meaning.
    const created = archived
      ? await tx.labelClass.update({ where: { id: archived.id }, data: { ...fields, archivedAt: null } })
      : await tx.labelClass.create({ data: { projectId: data.projectId, name: data.name, ...fields } });
    await recordAudit(tx, {
      projectId: data.projectId,
      userId: actorId,
      action: "class.create",
      entityType: "label_class",
      entityId: created.id,
      data: { name: created.name },
    });
    return created;
  });
}
