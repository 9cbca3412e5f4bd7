import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { cancelJob } from "@/server/domain/job-runs/cancel-job";
import { AppError } from "@/server/errors";

/** Stops a run through its job: queued → cancelled at once; running → stops before its next LLM request, keeping what it stored. */
export async function cancelGeneration(db: Db, boss: PgBoss, runId: number, actorId: string) {
  const run = await db.generationRun.findUnique({ where: { id: runId }, select: { jobRunId: true } });
  if (!run) throw new AppError("NOT_FOUND", `Generation run ${runId} does not exist`);
  if (!run.jobRunId) throw new AppError("PRECONDITION_FAILED", `Generation run ${runId} has no job to cancel`);
  return cancelJob(db, boss, run.jobRunId, actorId);
}
