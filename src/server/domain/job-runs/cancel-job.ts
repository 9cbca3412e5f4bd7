import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { AppError } from "@/server/errors";

/**
 * A queued job is cancelled at once; a running one is asked to stop and its handler stops at its next
 * checkpoint (handlers call `throwIfCancelled` between steps), keeping what it already finished.
 */
export async function cancelJob(db: Db, boss: PgBoss, id: string, actorId: string) {
  const job = await db.$transaction(async (tx) => {
    const job = await tx.jobRun.findUnique({ where: { id } });
    if (!job) throw new AppError("NOT_FOUND", `Job ${id} does not exist`);
    if (job.state === "completed" || job.state === "failed" || job.state === "cancelled") {
      throw new AppError("PRECONDITION_FAILED", `Job already ${job.state}`);
    }
    const updated = await tx.jobRun.update({
      where: { id },
      data:
        job.state === "queued"
          ? { cancelRequestedAt: new Date(), state: "cancelled", finishedAt: new Date() }
          : { cancelRequestedAt: new Date() },
    });
    await tx.jobLog.create({ data: { jobRunId: id, level: "warn", message: "Cancel requested" } });
    await recordAudit(tx, {
      projectId: job.projectId,
      userId: actorId,
      action: "job.cancel",
      entityType: "job_run",
      entityId: id,
    });
    return updated;
  });
  if (job.state === "cancelled") await boss.cancel(job.type, id);
  return job;
}
