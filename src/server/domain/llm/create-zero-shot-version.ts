import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { getProjectLlm } from "@/server/domain/llm/get-project-llm";
import { AppError } from "@/server/errors";
import { resolvePromptTemplates } from "@/server/llm/prompt-templates";

/**
 * A model version of kind llm_zero_shot: no training, the chat model labels from the class names and prompts.
 * It records the model, classes (in the project's order) and template version it uses; `zeroShotPredict` with its
 * id produces its probabilities, so it can rank the pool, pre-label and be compared A/B with trained versions.
 */
export async function createZeroShotVersion(db: Db, projectId: number, actorId: string | null) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM project WHERE id = ${projectId} FOR NO KEY UPDATE`;
    const { project, config } = await getProjectLlm(tx, projectId);
    const multiLabel = project.taskType === "multilabel";
    if (project.classes.length < (multiLabel ? 1 : 2))
      throw new AppError(
        "PRECONDITION_FAILED",
        `Zero-shot labeling needs at least ${multiLabel ? "one class" : "two classes"} with a description`,
      );
    const last = await tx.modelVersion.aggregate({ where: { projectId }, _max: { number: true } });
    const classIds = project.classes.map((c) => c.id);
    const templateVersion = resolvePromptTemplates(project.promptTemplates).version;
    const details = {
      classIds,
      classNames: project.classes.map((c) => c.name),
      chatModel: config.chatModel,
      multiLabel,
      templateVersion,
      probabilities: "stated-confidence",
    };
    const version = await tx.modelVersion.create({
      data: {
        projectId,
        number: (last._max.number ?? 0) + 1,
        kind: "llm_zero_shot",
        featurizerId: `llm:${config.chatModel}`,
        status: "ready",
        params: details as Prisma.InputJsonValue,
        artifact: { format: "llm-zero-shot@1", ...details } as Prisma.InputJsonValue,
        parentId: project.activeModelVersionId,
        createdById: actorId,
        finishedAt: new Date(),
      },
    });
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "model.zero_shot",
      entityType: "model_version",
      entityId: version.id,
      data: { number: version.number, chatModel: config.chatModel },
    });
    return version;
  });
}
