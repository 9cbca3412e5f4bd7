import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { AppError } from "@/server/errors";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreJob } from "@/server/jobs/job-definitions";

/**
 * Promotes (or rolls back to) a version: it then drives the queue's ranking, the playground and the API. The
 * version scores what it has not scored yet (items imported since it last ranked the pool; a zero-shot version
 * its sample) unless a scoring of it is already queued or running — in the same transaction, so the queue never
 * waits on a version that nobody will score.
 */
export async function activateModelVersion(db: Db, boss: PgBoss, modelVersionId: number, actorId: string) {
  return db.$transaction(async (tx) => {
    const version = await tx.modelVersion.findUnique({ where: { id: modelVersionId } });
    if (!version) throw new AppError("NOT_FOUND", `Model version ${modelVersionId} does not exist`);
    if (version.status !== "ready")
      throw new AppError("PRECONDITION_FAILED", `Version v${version.number} is ${version.status}, not ready`);
    const project = await tx.project.update({
      where: { id: version.projectId },
      data: { activeModelVersionId: version.id },
    });
    await recordAudit(tx, {
      projectId: project.id,
      userId: actorId,
      action: "model.activate",
      entityType: "model_version",
      entityId: version.id,
      data: { number: version.number },
    });
    const [scoring] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM job_run WHERE project_id = ${project.id} AND type = ${scoreJob.name} AND state IN ('queued', 'running')
        AND (payload->'data'->>'modelVersionId')::int = ${version.id} LIMIT 1`;
    if (!scoring)
      await enqueueJob(
        tx,
        boss,
        scoreJob,
        { projectId: project.id, modelVersionId: version.id, missingOnly: true },
        { projectId: project.id, userId: actorId },
      );
    return { projectId: project.id, activeModelVersionId: version.id, number: version.number };
  });
}
