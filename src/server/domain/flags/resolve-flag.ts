import { type z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { resolveFlagInput } from "@/server/domain/flags/flag-input";
import { AppError } from "@/server/errors";

/** An admin closes a flag with an optional note; resolving one twice is refused (someone else got there first). */
export async function resolveFlag(db: Db, input: z.input<typeof resolveFlagInput>, adminId: string) {
  const { projectId, flagId, resolution } = resolveFlagInput.parse(input);
  return db.$transaction(async (tx) => {
    const flag = await tx.itemFlag.findFirst({ where: { id: flagId, projectId } });
    if (!flag) throw new AppError("NOT_FOUND", `Flag ${flagId} is not in project ${projectId}`);
    // Conditional update: of two admins resolving at once, exactly one succeeds.
    const { count } = await tx.itemFlag.updateMany({
      where: { id: flagId, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedById: adminId, resolution },
    });
    if (count === 0) throw new AppError("CONFLICT", `Flag ${flagId} is already resolved`);
    await recordAudit(tx, {
      projectId,
      userId: adminId,
      action: "item.flag.resolve",
      entityType: "item",
      entityId: flag.itemId,
      data: { flagId, resolution },
    });
    return tx.itemFlag.findUniqueOrThrow({ where: { id: flagId } });
  });
}
