import type { DbOrTx } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { LlmError } from "@/server/llm/llm-error";
import { parseLlmSettings, resolveLlmConfig, type LlmConfig } from "@/server/llm/llm-config";

/** The project (with live classes) and its usable LLM configuration; a clear error when there is none. */
export async function getProjectLlm(
  db: DbOrTx,
  projectId: number,
): Promise<{ project: Awaited<ReturnType<typeof getProject>>; config: LlmConfig }> {
  const project = await getProject(db, projectId);
  const resolved = resolveLlmConfig(parseLlmSettings(project.llmSettings));
  if (!resolved.configured) throw new LlmError("LLM_NOT_CONFIGURED", resolved.reason);
  return { project, config: resolved.config };
}
