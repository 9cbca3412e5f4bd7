import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { addMembers } from "@/server/domain/members/add-members";
import { listMembers } from "@/server/domain/members/list-members";
import { updateMembersInput, type UpdateMembersInput } from "@/server/domain/members/member-input";
import { AppError } from "@/server/errors";

/**
 * An admin adds and removes a project's annotators in one transaction. A removed annotator loses the project at
 * once (every call checks membership); their labels stay, and items they had leased return to the queue when the
 * lease ends.
 */
export async function updateMembers(db: Db, input: UpdateMembersInput, actorId: string) {
  const { projectId, add, remove } = updateMembersInput.parse(input);
  const both = add.filter((id) => remove.includes(id));
  if (both.length) throw new AppError("INVALID_INPUT", `User ${both.join(", ")} is both added and removed`);
  return db.$transaction(async (tx) => {
    if (!(await tx.project.findUnique({ where: { id: projectId }, select: { id: true } })))
      throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    const added = add.length ? await addMembers(tx, projectId, add, actorId) : [];
    const removed = remove.length
      ? (await tx.projectMember.deleteMany({ where: { projectId, userId: { in: remove } } })).count
      : 0;
    if (added.length || removed) {
      await recordAudit(tx, {
        projectId,
        userId: actorId,
        action: "project.members",
        entityType: "project",
        entityId: projectId,
        data: { added, removed: remove },
      });
    }
    return listMembers(tx, { projectId });
  });
}
