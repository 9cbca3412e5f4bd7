import { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { getProject } from "@/server/domain/projects/get-project";
import { llmSettingsSchema, type LlmSettings } from "@/server/schemas/llm-settings";
import { promptTemplatesOverrideSchema, type PromptTemplatesOverride } from "@/server/llm/prompt-templates";

/** Replaces a project's LLM overrides and/or prompt templates (null resets to the environment / the defaults). */
export async function updateLlmSettings(
  db: Db,
  projectId: number,
  input: { settings?: LlmSettings | null; promptTemplates?: PromptTemplatesOverride | null },
  actorId: string | null,
) {
  const data: Prisma.ProjectUpdateInput = {};
  if (input.settings !== undefined)
    data.llmSettings =
      input.settings === null ? Prisma.DbNull : (llmSettingsSchema.parse(input.settings) as Prisma.InputJsonValue);
  if (input.promptTemplates !== undefined) {
    data.promptTemplates =
      input.promptTemplates === null
        ? Prisma.DbNull
        : (promptTemplatesOverrideSchema.parse(input.promptTemplates) as Prisma.InputJsonValue);
  }
  return db.$transaction(async (tx) => {
    await getProject(tx, projectId);
    const project = await tx.project.update({
      where: { id: projectId },
      data,
      select: { id: true, llmSettings: true, promptTemplates: true },
    });
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "project.llm_settings",
      entityType: "project",
      entityId: projectId,
      data: {
        settings: input.settings ?? undefined,
        templates: input.promptTemplates ? Object.keys(input.promptTemplates) : undefined,
      } as Prisma.InputJsonValue,
    });
    return project;
  });
}
