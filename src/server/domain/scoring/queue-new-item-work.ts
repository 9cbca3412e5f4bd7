import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { embedJob, scoreJob } from "@/server/jobs/job-definitions";

/**
 * After new items arrive (an import): with an active version, a missing-only score job ranks them (embedding what
 * it needs on the way), so the queue can serve them before the next training; without one, an embed job
 * computes their vectors now, so the first training does not wait for them. Both jobs are idempotent.
 */
export async function queueNewItemWork(db: Db, boss: PgBoss, projectId: number, fromId: number, userId: string | null) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUniqueOrThrow({
      where: { id: projectId },
      select: { activeModelVersionId: true },
    });
    if (project.activeModelVersionId !== null) {
      return enqueueJob(
        tx,
        boss,
        scoreJob,
        { projectId, modelVersionId: project.activeModelVersionId, missingOnly: true },
        { projectId, userId },
      );
    }
    return enqueueJob(tx, boss, embedJob, { projectId, fromId }, { projectId, userId });
  });
}
