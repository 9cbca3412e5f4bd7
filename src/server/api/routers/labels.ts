import { adminProcedure, projectProcedure, router } from "@/server/api/trpc";
import { annotatorStats, annotatorStatsInput } from "@/server/domain/labels/annotator-stats";
import { bulkLabelInput, bulkLabelItems } from "@/server/domain/labels/bulk-label-items";
import { submitLabelInput } from "@/server/domain/labels/label-input";
import { listMyDecisions, myDecisionsInput } from "@/server/domain/labels/list-my-decisions";
import { projectAgreement, projectAgreementInput } from "@/server/domain/labels/project-agreement";
import { submitLabel } from "@/server/domain/labels/submit-label";
import { undoLabel, undoLabelInput } from "@/server/domain/labels/undo-label";
import { boss } from "@/server/jobs/boss";

export const labelsRouter = router({
  submit: projectProcedure()
    .input(submitLabelInput)
    .mutation(async ({ ctx, input }) => submitLabel(ctx.db, await boss(), input, ctx.user.id)),
  annotators: adminProcedure.input(annotatorStatsInput).query(({ ctx, input }) => annotatorStats(ctx.db, input)),
  agreement: projectProcedure()
    .input(projectAgreementInput)
    .query(({ ctx, input }) => projectAgreement(ctx.db, input)),
  /** Admins label a selection (items table, similar items) with one class. */
  bulk: adminProcedure
    .input(bulkLabelInput)
    .mutation(async ({ ctx, input }) => bulkLabelItems(ctx.db, await boss(), input, ctx.user.id)),
  /** The annotator's own latest decisions, for the Annotate page's history panel. */
  mine: projectProcedure()
    .input(myDecisionsInput)
    .query(({ ctx, input }) => listMyDecisions(ctx.db, input, ctx.user.id)),
  undo: projectProcedure()
    .input(undoLabelInput)
    .mutation(({ ctx, input }) => undoLabel(ctx.db, input, ctx.user.id)),
});
