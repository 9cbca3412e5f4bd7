import type { z } from "zod";
import type { Tx } from "@/server/db";
import type { initialMembers } from "@/server/domain/members/member-input";
import { AppError } from "@/server/errors";

/**
 * Makes annotators members of a project inside the caller's transaction ("all": every annotator, disabled ones too,
 * so re-enabling an account restores its work). Admins are not added: they see every project already. Returns the ids that were not members before.
 */
export async function addMembers(
  tx: Tx,
  projectId: number,
  who: z.infer<typeof initialMembers>,
  actorId: string | null,
): Promise<string[]> {
  const wanted = await tx.user.findMany({
    where: who === "all" ? { role: "annotator" } : { id: { in: who } },
    select: { id: true, role: true, email: true },
  });
  if (who !== "all") {
    const found = new Set(wanted.map((u) => u.id));
    const missing = who.filter((id) => !found.has(id));
    if (missing.length) throw new AppError("NOT_FOUND", `No user with id ${missing.join(", ")}`);
    const admins = wanted.filter((u) => u.role === "admin");
    if (admins.length)
      throw new AppError(
        "INVALID_INPUT",
        `${admins.map((u) => u.email).join(", ")} ${admins.length === 1 ? "is an admin" : "are admins"}: admins see every project without being members`,
      );
  }
  const existing = new Set(
    (await tx.projectMember.findMany({ where: { projectId }, select: { userId: true } })).map((m) => m.userId),
  );
  const added = wanted.map((u) => u.id).filter((id) => !existing.has(id));
  await tx.projectMember.createMany({
    data: added.map((userId) => ({ projectId, userId, addedById: actorId })),
    skipDuplicates: true,
  });
  return added;
}
