import type { Db } from "@/server/db";
import { insertUser, prepareUser } from "@/server/domain/users/insert-user";
import type { CreateUserInput } from "@/server/domain/users/user-input";

/** An admin creates an account (admin or annotator) with an initial password. */
export async function createUser(db: Db, input: CreateUserInput, actorId: string | null) {
  const user = await prepareUser(input);
  return db.$transaction((tx) => insertUser(tx, user, actorId));
}
