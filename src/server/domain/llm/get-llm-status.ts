import type { DbOrTx } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { parseLlmSettings, publicLlmConfig, resolveLlmConfig } from "@/server/llm/llm-config";
import { resolvePromptTemplates } from "@/server/llm/prompt-templates";

/**
 * Whether LLM features can be used (for a project, with its overrides), with a one-line reason when not. Safe to
 * send to the browser: no API key, only whether one is set.
 */
export async function getLlmStatus(db: DbOrTx, projectId?: number) {
  const project = projectId === undefined ? undefined : await getProject(db, projectId);
  let settings;
  try {
    settings = parseLlmSettings(project?.llmSettings);
  } catch (error) {
    return {
      configured: false as const,
      reason: (error as Error).message,
      settings: null,
      config: null,
      templateVersion: null,
    };
  }
  const resolved = resolveLlmConfig(settings);
  const templateVersion = project ? resolvePromptTemplates(project.promptTemplates).version : null;
  if (!resolved.configured)
    return { configured: false as const, reason: resolved.reason, settings, config: null, templateVersion };
  return {
    configured: true as const,
    reason: null,
    settings,
    config: publicLlmConfig(resolved.config),
    templateVersion,
  };
}
