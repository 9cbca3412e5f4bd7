import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { createFirstAdmin } from "@/server/domain/users/create-first-admin";

/**
 * On an installation without users, creates the admin account (email from the environment, password from the
 * environment or generated). Returns the credentials only when it created them.
 */
export async function ensureAdmin(db: Db, options: { email: string; password?: string }) {
  if ((await db.user.count()) > 0) return { created: false as const };
  const password = options.password ?? randomBytes(12).toString("base64url");
  await createFirstAdmin(db, { email: options.email, name: "Admin", password });
  return { created: true as const, email: options.email, password };
}
