import { adminProcedure, router } from "@/server/api/trpc";
import { adjudicateInput, listDisagreementsInput } from "@/server/domain/adjudication/adjudication-input";
import { adjudicateItem } from "@/server/domain/adjudication/adjudicate-item";
import { listDisagreements } from "@/server/domain/adjudication/list-disagreements";

export const adjudicationRouter = router({
  disagreements: adminProcedure
    .input(listDisagreementsInput)
    .query(({ ctx, input }) => listDisagreements(ctx.db, input)),
  decide: adminProcedure
    .input(adjudicateInput)
    .mutation(({ ctx, input }) => adjudicateItem(ctx.db, input, ctx.user.id)),
});
