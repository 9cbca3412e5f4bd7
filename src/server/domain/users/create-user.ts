import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { insertUser, prepareUser } from "@/server/domain/users/insert-user";
import { createAccountInput, type CreateAccountInput } from "@/server/domain/users/user-input";
import { AppError } from "@/server/errors";

/**
 * An admin creates an account (admin or annotator) with an initial password. An annotator can start as a member of
 * projects ("all": every project that exists now); admins see every project without it.
 */
export async function createUser(db: Db, input: CreateAccountInput, actorId: string | null) {
  const { projects, ...account } = createAccountInput.parse(input);
  const user = await prepareUser(account);
  return db.$transaction(async (tx) => {
    const created = await insertUser(tx, user, actorId);
    if (created.role !== "annotator" || (projects !== "all" && projects.length === 0)) return created;
    const found = await tx.project.findMany({
      where: projects === "all" ? {} : { id: { in: projects } },
      select: { id: true },
    });
    if (projects !== "all" && found.length !== new Set(projects).size) {
      const missing = projects.filter((id) => !found.some((p) => p.id === id));
      throw new AppError("NOT_FOUND", `Project ${missing.join(", ")} does not exist`);
    }
    await tx.projectMember.createMany({
      data: found.map((p) => ({ projectId: p.id, userId: created.id, addedById: actorId })),
    });
    await recordAudit(tx, {
      userId: actorId ?? created.id,
      action: "user.memberships",
      entityType: "user",
      entityId: created.id,
      data: { projectIds: found.map((p) => p.id) },
    });
    return created;
  });
}
