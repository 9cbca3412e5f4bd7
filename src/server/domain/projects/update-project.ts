import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { availableFeaturizers } from "@/server/domain/projects/available-featurizers";
import { getProject } from "@/server/domain/projects/get-project";
import { updateProjectInput, type UpdateProjectInput } from "@/server/domain/projects/project-input";
import { AppError } from "@/server/errors";

export async function updateProject(db: Db, projectId: number, input: UpdateProjectInput, actorId: string | null) {
  const data = updateProjectInput.parse(input);
  if (data.featurizerId !== undefined) {
    const known = availableFeaturizers().map((f) => f.id);
    // A version remembers its own featurizer, so a change applies from the next training on; an id this server
    // cannot load would only fail there, much later.
    if (!known.includes(data.featurizerId))
      throw new AppError(
        "INVALID_INPUT",
        `Featurizer "${data.featurizerId}" is not available on this server (available: ${known.join(", ")})`,
      );
  }
  return db.$transaction(async (tx) => {
    await getProject(tx, projectId);
    const { decisionTarget, ...settings } = data;
    const target =
      decisionTarget === undefined
        ? {}
        : { thresholdMetric: decisionTarget?.metric ?? null, thresholdTarget: decisionTarget?.value ?? null };
    const project = await tx.project.update({ where: { id: projectId }, data: { ...settings, ...target } });
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "project.update",
      entityType: "project",
      entityId: projectId,
      data,
    });
    return project;
  });
}
