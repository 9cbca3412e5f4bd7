import { z } from "zod";
import { adminProcedure, projectProcedure, router } from "@/server/api/trpc";
import { activateModelVersion } from "@/server/domain/models/activate-model-version";
import { classifyTexts, classifyTextsInput } from "@/server/domain/classify/classify-texts";
import { compareModelVersions, compareModelVersionsInput } from "@/server/domain/models/compare-model-versions";
import { getModelVersion } from "@/server/domain/models/get-model-version";
import { learningCurve } from "@/server/domain/models/learning-curve";
import { listModelVersions } from "@/server/domain/models/list-model-versions";
import { requestTraining } from "@/server/domain/training/request-training";
import { boss } from "@/server/jobs/boss";

const projectId = z.object({ projectId: z.number().int().positive() });
const versionId = z.object({ modelVersionId: z.number().int().positive() });

export const modelsRouter = router({
  list: projectProcedure()
    .input(projectId)
    .query(({ ctx, input }) => listModelVersions(ctx.db, input.projectId)),
  get: projectProcedure("modelVersionId")
    .input(versionId)
    .query(({ ctx, input }) => getModelVersion(ctx.db, input.modelVersionId)),
  learningCurve: projectProcedure()
    .input(projectId)
    .query(({ ctx, input }) => learningCurve(ctx.db, input.projectId)),
  train: adminProcedure
    .input(projectId)
    .mutation(async ({ ctx, input }) => requestTraining(ctx.db, await boss(), input.projectId, ctx.user.id)),
  activate: adminProcedure
    .input(versionId)
    .mutation(async ({ ctx, input }) => activateModelVersion(ctx.db, await boss(), input.modelVersionId, ctx.user.id)),
  compare: adminProcedure
    .input(compareModelVersionsInput)
    .query(({ ctx, input }) => compareModelVersions(ctx.db, input)),
  classify: projectProcedure()
    .input(classifyTextsInput)
    .mutation(({ ctx, input }) => classifyTexts(ctx.db, input, { llmCalls: ctx.user.role === "admin" })),
});
