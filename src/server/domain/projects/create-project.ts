import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { addMembers } from "@/server/domain/members/add-members";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { createProjectInput, type CreateProjectInput } from "@/server/domain/projects/project-input";

/**
 * The queue strategy of a new project, chosen by evidence (bench/results/ml.md, section 1). With the GloVe-SIF
 * learner (5 seeds) margin + diversity had ΔAULC ≥ 0 against random on all six single-label sets, where plain margin
 * lost on emotion; for multi-label, the diverse head lost on GoEmotions while plain threshold-margin did not. Re-run
 * with the default hybrid learner through a simulation of this queue (2026-12-07, 5 seeds, 300 labels, five
 * single-label sets): margin + diversity is ahead of random on AG News, TREC and SMS spam, behind on SST-2 (ΔAULC
 * −0.009 ± 0.014) and emotion (−0.006 ± 0.035); the gradient-embedding (BADGE-style) head had the higher mean on all
 * five but, paired seed by seed, beat margin + diversity on 1–4 of 5 seeds (clearly only on SMS spam) and was also
 * behind random on SST-2, so no strategy cleared the bar for a change (never below random) and the default stays.
 * A diverse cold start lost on TREC (it misses rare classes), so an empty project's first batches stay random.
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
