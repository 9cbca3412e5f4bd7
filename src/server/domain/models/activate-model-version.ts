import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { AppError } from "@/server/errors";

/** Promotes (or rolls back to) a version: it then drives the queue's ranking, the playground and the API. */
export async function activateModelVersion(db: Db, modelVersionId: number, actorId: string) {
  return db.$transaction(async (tx) => {
    const version = await tx.modelVersion.findUnique({ where: { id: modelVersionId } });
    if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
    if (version.status !== "ready") throw new AppError("PRECONDITION_FAILED", `Version v${version.number} is ${version.status}, not ready`);
    const project = await tx.project.update({ where: { id: version.projectId }, data: { activeModelVersionId: version.id } });
    await recordAudit(tx, { projectId: project.id, userId: actorId, action: "model.activate", entityType: "model_version", entityId: version.id, data: { number: version.number } });
    return { projectId: project.id, activeModelVersionId: version.id, number: version.number };
  });
}
