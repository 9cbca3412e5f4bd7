import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import { createApiKeyInput } from "@/server/domain/api-keys/api-key-input";
import { createApiKey } from "@/server/domain/api-keys/create-api-key";
import { listApiKeys } from "@/server/domain/api-keys/list-api-keys";
import { revokeApiKey } from "@/server/domain/api-keys/revoke-api-key";

export const apiKeysRouter = router({
  list: adminProcedure
    .input(z.object({ projectId: z.number().int().positive() }))
    .query(({ ctx, input }) => listApiKeys(ctx.db, input.projectId)),
  create: adminProcedure
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, input, ctx.user.id)),
  revoke: adminProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id, ctx.user.id)),
});
