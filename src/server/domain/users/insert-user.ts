import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { Tx } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { createUserInput, type CreateUserInput } from "@/server/domain/users/user-input";
import { AppError } from "@/server/errors";

/** Validated input with its password already hashed (hashing is slow: do it before opening a transaction). */
export async function prepareUser(input: CreateUserInput) {
  const data = createUserInput.parse(input);
  return { ...data, passwordHash: await hashPassword(data.password) };
}

/**
 * Inserts a user with an email/password credential. The rows have the shape better-auth reads at sign-in
 * (provider "credential", password hashed with better-auth's own scrypt hasher).
 */
export async function insertUser(tx: Tx, user: Awaited<ReturnType<typeof prepareUser>>, actorId: string | null) {
  if (await tx.user.findUnique({ where: { email: user.email } })) {
    throw new AppError("CONFLICT", `A user with email ${user.email} already exists`);
  }
  const id = randomUUID();
  const created = await tx.user.create({
    data: { id, email: user.email, name: user.name, role: user.role, emailVerified: true },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
  await tx.account.create({
    data: { id: randomUUID(), userId: id, accountId: id, providerId: "credential", password: user.passwordHash },
  });
  await recordAudit(tx, {
    userId: actorId ?? id,
    action: "user.create",
    entityType: "user",
    entityId: id,
    data: { email: user.email, role: user.role },
  });
  return created;
}
