import type { Db } from "@/server/db";
import { insertUser, prepareUser } from "@/server/domain/users/insert-user";
import type { CreateUserInput } from "@/server/domain/users/user-input";
import { AppError } from "@/server/errors";

// Serializes concurrent first-run setups so that exactly one admin wins.
const SETUP_LOCK = 4_137_001;

/** The first account of an empty installation becomes its admin; afterwards only admins create users. */
export async function createFirstAdmin(db: Db, input: Omit<CreateUserInput, "role">) {
  const user = await prepareUser({ ...input, role: "admin" });
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`;
    if ((await tx.user.count()) > 0)
      throw new AppError("FORBIDDEN", "Margin already has users: ask an admin for an account");
    return insertUser(tx, user, null);
  });
}
