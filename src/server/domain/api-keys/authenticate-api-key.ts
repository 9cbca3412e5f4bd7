import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { hashApiKey } from "@/server/domain/api-keys/api-key-input";

/**
 * The key of a request to a project's API: unknown or revoked keys are UNAUTHENTICATED (401), a valid key of
 * another project is FORBIDDEN (403).
 */
export async function authenticateApiKey(db: Db, rawKey: string, projectId: number) {
  const key = await db.apiKey.findUnique({ where: { hash: hashApiKey(rawKey) } });
  if (!key) throw new AppError("UNAUTHENTICATED", "Unknown API key");
  if (key.revokedAt) throw new AppError("UNAUTHENTICATED", "This API key was revoked");
  if (key.projectId !== projectId)
    throw new AppError("FORBIDDEN", `This API key belongs to another project, not project ${projectId}`);
  // At most one write a minute per key: the timestamp is for admins, not an audit trail.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return key;
}
