import { type z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { flagItemInput } from "@/server/domain/flags/flag-input";
import { AppError } from "@/server/errors";

/** Any signed-in user asks an admin to look at an item; the flag stays open until an admin resolves it. */
export async function flagItem(db: Db, input: z.input<typeof flagItemInput>, userId: string) {
  const { projectId, itemId, comment } = flagItemInput.parse(input);
  return db.$transaction(async (tx) => {
    const item = await tx.item.findFirst({ where: { id: itemId, projectId }, select: { id: true } });
    if (!item) throw new AppError("NOT_FOUND", `Item ${itemId} is not in project ${projectId}`);
    const flag = await tx.itemFlag.create({ data: { projectId, itemId, userId, comment } });
    await recordAudit(tx, {
      projectId,
      userId,
      action: "item.flag",
      entityType: "item",
      entityId: itemId,
      data: { flagId: flag.id, comment },
    });
    return flag;
  });
}
