import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { addMembers } from "@/server/domain/members/add-members";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { createProjectInput, type CreateProjectInput } from "@/server/domain/projects/project-input";

/**
 * The queue strategy of a new project, chosen by evidence (bench/results/ml.md, section 1: a simulation of this queue
 * with the default hybrid learner, 500 labels, 5 seeds, ΔAULC paired against random). Margin + diversity is ahead of
 * random on AG News (+0.014, 5/5 seeds), TREC (+0.045, 5/5), SMS spam (+0.038, 5/5) and emotion (+0.019, 3/5), and
 * behind on SST-2 (−0.016 ± 0.014, 1/5), as are plain margin and the gradient-embedding (BADGE-style) head (−0.017);
 * for multi-label, threshold-margin is slightly behind random on GoEmotions (−0.004 ± 0.008, 1/5), the diverse head
 * more so (−0.008, 0/5). No strategy measured is never below random, so none has earned a change and these stay. A diverse cold
 * start lost on TREC (it misses rare classes), so an empty project's first batches stay random.
 */
export function defaultStrategy(taskType: "binary" | "multiclass" | "multilabel"): "margin_diversity" | "margin" {
  return taskType === "multilabel" ? "margin" : "margin_diversity";
}

export async function createProject(db: Db, input: CreateProjectInput, actorId: string | null) {
  const { annotators, ...data } = createProjectInput.parse(input);
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: {
        ...data,
        strategy: data.strategy ?? defaultStrategy(data.taskType),
        featurizerId: data.featurizerId ?? DEFAULT_FEATURIZER_ID,
        createdById: actorId,
      },
    });
    const members = await addMembers(tx, project.id, annotators, actorId);
    await recordAudit(tx, {
      projectId: project.id,
      userId: actorId,
      action: "project.create",
      entityType: "project",
      entityId: project.id,
      data: { name: project.name, members },
    });
    return project;
  });
}
