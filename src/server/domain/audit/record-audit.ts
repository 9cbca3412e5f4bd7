import type { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";

export interface AuditEntry {
  projectId?: number | null;
  userId?: string | null;
  action: string;
  entityType: string;
  entityId: string | number;
  data?: Prisma.InputJsonValue;
}

/** Appends to the audit log; call it with the same transaction as the change it records. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      projectId: entry.projectId ?? null,
      userId: entry.userId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      data: entry.data,
    },
  });
}
