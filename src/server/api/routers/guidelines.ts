import { adminProcedure, projectProcedure, router } from "@/server/api/trpc";
import { addClassExample } from "@/server/domain/guidelines/add-class-example";
import { getGuidelines } from "@/server/domain/guidelines/get-guidelines";
import {
  addClassExampleInput,
  guidelinesInput,
  removeClassExampleInput,
  updateInstructionsInput,
} from "@/server/domain/guidelines/guideline-input";
import { removeClassExample } from "@/server/domain/guidelines/remove-class-example";
import { updateInstructions } from "@/server/domain/guidelines/update-instructions";

export const guidelinesRouter = router({
  get: projectProcedure()
    .input(guidelinesInput)
    .query(({ ctx, input }) => getGuidelines(ctx.db, input)),
  updateInstructions: adminProcedure
    .input(updateInstructionsInput)
    .mutation(({ ctx, input }) => updateInstructions(ctx.db, input, ctx.user.id)),
  addExample: adminProcedure
    .input(addClassExampleInput)
    .mutation(({ ctx, input }) => addClassExample(ctx.db, input, ctx.user.id)),
  removeExample: adminProcedure
    .input(removeClassExampleInput)
    .mutation(({ ctx, input }) => removeClassExample(ctx.db, input, ctx.user.id)),
});
