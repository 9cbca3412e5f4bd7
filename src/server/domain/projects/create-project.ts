import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { addMembers } from "@/server/domain/members/add-members";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { createProjectInput, type CreateProjectInput } from "@/server/domain/projects/project-input";

/**
 * The queue strategy of a new project, chosen by evidence (bench/results/ml.md, 5 seeds): for single-label tasks
 * margin + diversity had ΔAULC ≥ 0 against random on all six single-label sets, where plain margin lost on emotion;
 * for multi-label, the diverse head lost on GoEmotions while plain threshold-margin did not.
 */
export function defaultStrategy(taskType: "binary" | "multiclass" | "multilabel"): "margin_diversity" | "margin" {
  return taskType === "multilabel" ? "margin" : "margin_diversity";
}

export async function createProject(db: Db, input: CreateProjectInput, actorId: string | null) {
  const { annotators, ...data } = createProjectInput.parse(input);
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { ...data, strategy: data.strategy ?? defaultStrategy(data.taskType), featurizerId: data.featurizerId ?? DEFAULT_FEATURIZER_ID, createdById: actorId },
    });
    const members = await addMembers(tx, project.id, annotators, actorId);
    await recordAudit(tx, { projectId: project.id, userId: actorId, action: "project.create", entityType: "project", entityId: project.id, data: { name: project.name, members } });
    return project;
  });
}
