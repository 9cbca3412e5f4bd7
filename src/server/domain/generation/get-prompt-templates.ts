import type { DbOrTx } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { defaultPromptTemplates, resolvePromptTemplates } from "@/server/llm/prompt-templates";

/** The project's effective templates, which of them it overrides, the defaults, and the version runs will record. */
export async function getPromptTemplates(db: DbOrTx, projectId: number) {
  const project = await getProject(db, projectId);
  const { templates, version, overridden } = resolvePromptTemplates(project.promptTemplates);
  return { templates, version, overridden, defaults: defaultPromptTemplates };
}
