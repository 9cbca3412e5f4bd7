import { z } from "zod";
import { adminProcedure, projectProcedure, router } from "@/server/api/trpc";
import { cancelGeneration } from "@/server/domain/generation/cancel-generation";
import { startGenerationInput } from "@/server/domain/generation/generation-input";
import { getGenerationRun } from "@/server/domain/generation/get-generation-run";
import { getPromptTemplates } from "@/server/domain/generation/get-prompt-templates";
import { listGeneratedExamples, listGeneratedExamplesInput } from "@/server/domain/generation/list-generated-examples";
import { listGenerationRuns, listGenerationRunsInput } from "@/server/domain/generation/list-generation-runs";
import { startGeneration } from "@/server/domain/generation/start-generation";
import { boss } from "@/server/jobs/boss";

const runId = z.object({ runId: z.number().int().positive() });

export const generationRouter = router({
  start: adminProcedure
    .input(startGenerationInput)
    .mutation(async ({ ctx, input }) => startGeneration(ctx.db, await boss(), input, ctx.user.id)),
  list: projectProcedure()
    .input(listGenerationRunsInput)
    .query(({ ctx, input }) => listGenerationRuns(ctx.db, input)),
  get: projectProcedure("runId")
    .input(runId)
    .query(({ ctx, input }) => getGenerationRun(ctx.db, input.runId)),
  examples: projectProcedure("runId")
    .input(listGeneratedExamplesInput)
    .query(({ ctx, input }) => listGeneratedExamples(ctx.db, input)),
  cancel: adminProcedure
    .input(runId)
    .mutation(async ({ ctx, input }) => cancelGeneration(ctx.db, await boss(), input.runId, ctx.user.id)),
  templates: projectProcedure()
    .input(z.object({ projectId: z.number().int().positive() }))
    .query(({ ctx, input }) => getPromptTemplates(ctx.db, input.projectId)),
});
