import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { recordAudit } from "@/server/domain/audit/record-audit";

/** Revokes a key at once: the next request with it gets 401. */
export async function revokeApiKey(db: Db, id: number, actorId: string | null) {
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id } });
    if (!key) throw new AppError("NOT_FOUND", `API key ${id} does not exist`);
    if (key.revokedAt) throw new AppError("CONFLICT", `API key "${key.name}" is already revoked`);
    const revoked = await tx.apiKey.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: { id: true, name: true, prefix: true, revokedAt: true },
    });
    await recordAudit(tx, {
      projectId: key.projectId,
      userId: actorId,
      action: "api_key.revoke",
      entityType: "api_key",
      entityId: id,
      data: { name: key.name },
    });
    return revoked;
  });
}
