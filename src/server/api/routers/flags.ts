import { adminProcedure, projectProcedure, router } from "@/server/api/trpc";
import { flagItemInput, itemFlagsInput, resolveFlagInput } from "@/server/domain/flags/flag-input";
import { flagItem } from "@/server/domain/flags/flag-item";
import { listItemFlags } from "@/server/domain/flags/list-item-flags";
import { resolveFlag } from "@/server/domain/flags/resolve-flag";

export const flagsRouter = router({
  create: projectProcedure()
    .input(flagItemInput)
    .mutation(({ ctx, input }) => flagItem(ctx.db, input, ctx.user.id)),
  forItem: projectProcedure()
    .input(itemFlagsInput)
    .query(({ ctx, input }) => listItemFlags(ctx.db, input)),
  resolve: adminProcedure.input(resolveFlagInput).mutation(({ ctx, input }) => resolveFlag(ctx.db, input, ctx.user.id)),
});
