import { adminProcedure, authedProcedure, publicProcedure, router } from "@/server/api/trpc";
import { createFirstAdmin } from "@/server/domain/users/create-first-admin";
import { createUser } from "@/server/domain/users/create-user";
import { listUsers } from "@/server/domain/users/list-users";
import { updateUserAccess, updateUserAccessInput } from "@/server/domain/users/update-user-access";
import { createAccountInput, createUserInput } from "@/server/domain/users/user-input";

export const usersRouter = router({
  me: authedProcedure.query(({ ctx }) => ctx.user),
  /** Whether the installation still needs its first admin (the sign-in page then offers setup). */
  needsSetup: publicProcedure.query(async ({ ctx }) => (await ctx.db.user.count()) === 0),
  setup: publicProcedure
    .input(createUserInput.omit({ role: true }))
    .mutation(({ ctx, input }) => createFirstAdmin(ctx.db, input)),
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure.input(createAccountInput).mutation(({ ctx, input }) => createUser(ctx.db, input, ctx.user.id)),
  updateAccess: adminProcedure
    .input(updateUserAccessInput)
    .mutation(({ ctx, input }) => updateUserAccess(ctx.db, input, ctx.user.id)),
});
