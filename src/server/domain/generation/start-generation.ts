import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { startGenerationInput, type StartGenerationInput } from "@/server/domain/generation/generation-input";
import { getProjectLlm } from "@/server/domain/llm/get-project-llm";
import { AppError } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { generateJob } from "@/server/jobs/job-definitions";
import { parseLlmSettings } from "@/server/llm/llm-config";
import { resolvePromptTemplates } from "@/server/llm/prompt-templates";

/** Creates a generation run and its job in one transaction; the worker does the LLM calls. */
export async function startGeneration(db: Db, boss: PgBoss, input: StartGenerationInput, actorId: string | null) {
  const { projectId, classIds, ...options } = startGenerationInput.parse(input);
  return db.$transaction(async (tx) => {
    const { project, config } = await getProjectLlm(tx, projectId);
    if (project.classes.length === 0)
      throw new AppError("PRECONDITION_FAILED", "The project has no classes yet: add classes with a description first");
    const chosen = classIds ?? project.classes.map((c) => c.id);
    const unknown = chosen.filter((id) => !project.classes.some((c) => c.id === id));
    if (unknown.length)
      throw new AppError(
        "INVALID_INPUT",
        `Class${unknown.length > 1 ? "es" : ""} ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not a live class of this project`,
      );
    const { templates, version } = resolvePromptTemplates(project.promptTemplates);
    const run = await tx.generationRun.create({
      data: {
        projectId,
        model: config.chatModel,
        templateVersion: version,
        seed: options.seed,
        targetPerClass: options.targetPerClass,
        classIds: [...new Set(chosen)],
      },
    });
    const job = await enqueueJob(
      tx,
      boss,
      generateJob,
      { runId: run.id, options, templates, llmSettings: parseLlmSettings(project.llmSettings) },
      { projectId, userId: actorId },
    );
    const linked = await tx.generationRun.update({ where: { id: run.id }, data: { jobRunId: job.id } });
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "generation.start",
      entityType: "generation_run",
      entityId: run.id,
      data: { classIds: linked.classIds, ...options, model: config.chatModel },
    });
    return linked;
  });
}
