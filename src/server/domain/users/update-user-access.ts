import { z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { roles } from "@/server/domain/users/user-input";
import { AppError } from "@/server/errors";

export const updateUserAccessInput = z.object({
  userId: z.string().min(1),
  role: z.enum(roles).optional(),
  disabled: z.boolean().optional(),
});

/** Changes a user's role or disables the account; Margin always keeps at least one active admin. */
export async function updateUserAccess(db: Db, input: z.input<typeof updateUserAccessInput>, actorId: string) {
  const { userId, role, disabled } = updateUserAccessInput.parse(input);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError("NOT_FOUND", `User ${userId} does not exist`);
    const losesAdmin = user.role === "admin" && !user.disabledAt && (role === "annotator" || disabled === true);
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
      if (admins <= 1)
        throw new AppError("PRECONDITION_FAILED", "This is the last active admin: make another admin first");
    }
    const updated = await tx.user.update({
      where: { id: userId },
      data: { role, disabledAt: disabled === undefined ? undefined : disabled ? new Date() : null },
      select: { id: true, email: true, name: true, role: true, disabledAt: true },
    });
    // A disabled account loses its sessions at once.
    if (disabled) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      userId: actorId,
      action: "user.access",
      entityType: "user",
      entityId: userId,
      data: { role, disabled },
    });
    return updated;
  });
}
