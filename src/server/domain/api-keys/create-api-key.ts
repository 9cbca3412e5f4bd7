import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import {
  API_KEY_PREFIX,
  createApiKeyInput,
  hashApiKey,
  SHOWN_PREFIX_LENGTH,
  type CreateApiKeyInput,
} from "@/server/domain/api-keys/api-key-input";
import { getProject } from "@/server/domain/projects/get-project";

/** Creates a project API key; the full key is in the result only: it is never stored nor shown again. */
export async function createApiKey(db: Db, input: CreateApiKeyInput, actorId: string | null) {
  const data = createApiKeyInput.parse(input);
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return db.$transaction(async (tx) => {
    await getProject(tx, data.projectId);
    const created = await tx.apiKey.create({
      data: {
        projectId: data.projectId,
        name: data.name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        hash: hashApiKey(key),
        createdById: actorId,
      },
    });
    await recordAudit(tx, {
      projectId: data.projectId,
      userId: actorId,
      action: "api_key.create",
      entityType: "api_key",
      entityId: created.id,
      data: { name: data.name, prefix: created.prefix },
    });
    return {
      id: created.id,
      projectId: created.projectId,
      name: created.name,
      prefix: created.prefix,
      createdAt: created.createdAt,
      key,
    };
  });
}
