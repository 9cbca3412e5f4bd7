import { z } from "zod";
import { adminProcedure, router } from "@/server/api/trpc";
import { createZeroShotVersion } from "@/server/domain/llm/create-zero-shot-version";
import { getLlmStatus } from "@/server/domain/llm/get-llm-status";
import { updateLlmSettings } from "@/server/domain/llm/update-llm-settings";
import { zeroShotClassifyInput, zeroShotClassifyTexts } from "@/server/domain/llm/zero-shot-classify-texts";
import { llmSettingsSchema } from "@/server/schemas/llm-settings";
import { promptTemplatesOverrideSchema } from "@/server/llm/prompt-templates";

const projectId = z.object({ projectId: z.number().int().positive() });

export const llmRouter = router({
  status: adminProcedure
    .input(z.object({ projectId: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => getLlmStatus(ctx.db, input.projectId)),
  updateSettings: adminProcedure
    .input(
      projectId.extend({
        settings: llmSettingsSchema.nullable().optional(),
        promptTemplates: promptTemplatesOverrideSchema.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateLlmSettings(ctx.db, input.projectId, input, ctx.user.id)),
  createZeroShotVersion: adminProcedure
    .input(projectId)
    .mutation(({ ctx, input }) => createZeroShotVersion(ctx.db, input.projectId, ctx.user.id)),
  zeroShot: adminProcedure
    .input(zeroShotClassifyInput)
    .mutation(({ ctx, input }) => zeroShotClassifyTexts(ctx.db, input)),
});
