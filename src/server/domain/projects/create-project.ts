import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { createProjectInput, type CreateProjectInput } from "@/server/domain/projects/project-input";

export async function createProject(db: Db, input: CreateProjectInput, actorId: string | null) {
  const data = createProjectInput.parse(input);
  return db.$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { ...data, featurizerId: data.featurizerId ?? DEFAULT_FEATURIZER_ID, createdById: actorId },
    });
    await recordAudit(tx, { projectId: project.id, userId: actorId, action: "project.create", entityType: "project", entityId: project.id, data: { name: project.name } });
    return project;
  });
}
