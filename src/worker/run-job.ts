import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { retryWhileUnavailable } from "@/server/database/retry-while-unavailable";
import { AppError } from "@/server/errors";
import { redactedError, redactedMessage } from "@/server/redact-secrets";
import type { JobDefinition, JobPayload } from "@/server/jobs/define-job";
import { createJobContext, JobCancelledError, PermanentJobError, type JobContext } from "@/worker/job-context";

export type JobHandler<J extends JobDefinition> = (payload: JobPayload<J>, ctx: JobContext) => Promise<Prisma.InputJsonValue | void>;

interface Envelope {
  jobRunId: string;
  version: number;
  data: unknown;
}

/**
 * Runs one delivery of a job and mirrors its state into job_run. Deliveries can repeat (retries, a worker killed
 * mid-job whose lease expired): a run that already finished is acknowledged without running again, and handlers
 * themselves are written to be idempotent.
 */
export async function runJob<J extends JobDefinition>(
  db: Db, boss: PgBoss, definition: J, handler: JobHandler<J>, job: PgBoss.JobWithMetadata<Envelope>,
  options: { log?: (line: string) => void } = {},
) {
  const { jobRunId } = job.data;
  // The outcome of a run is written even if the database is away when the handler ends: retried until it answers
  // (each write is idempotent), so a run never stays "running" because PostgreSQL restarted at the wrong moment.
  const record = <T>(what: string, write: () => Promise<T>) =>
    retryWhileUnavailable(write, { log: (line) => options.log?.(`[worker] ${definition.name} ${jobRunId}: ${line}`), what });
  const run = await db.jobRun.findUnique({ where: { id: jobRunId } });
  if (!run) return { skipped: "job run not found" };
  if (run.state === "completed" || run.state === "cancelled") return { skipped: `already ${run.state}` };

  const attempt = job.retryCount + 1;
  const ctx = createJobContext(db, boss, jobRunId, attempt);
  await db.jobRun.update({ where: { id: jobRunId }, data: { state: "running", startedAt: run.startedAt ?? new Date(), attempts: attempt, error: null } });
  await ctx.log(attempt > 1 ? `Started (attempt ${attempt})` : "Started");
  try {
    if (job.data.version !== definition.version) {
      throw new Error(`payload version ${job.data.version} is not ${definition.version}; re-run the job from the UI`);
    }
    await ctx.throwIfCancelled();
    const payload = definition.payload.parse(job.data.data) as JobPayload<J>;
    const result = await handler(payload, ctx);
    // Handlers report progress at checkpoints, so the last one can be short of the end ("train 96 / 107", an import's
    // bytes before its commit): a finished run reads finished.
    await record("recording its completion", async () => {
      const { total } = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId }, select: { total: true } });
      await db.jobRun.update({
        where: { id: jobRunId },
        data: { state: "completed", progress: 1, ...(total === null ? {} : { done: total }), result: result ?? undefined, finishedAt: new Date() },
      });
    });
    await record("logging its completion", () => ctx.log("Completed"));
    return result ?? {};
  } catch (error) {
    if (error instanceof JobCancelledError) {
      await record("recording its cancellation", () => db.jobRun.update({ where: { id: jobRunId }, data: { state: "cancelled", finishedAt: new Date() } }));
      await record("logging its cancellation", () => ctx.log("Cancelled", "warn"));
      return { cancelled: true };
    }
    // Redacted before it is stored anywhere: job_run.error, the job log, and pg-boss's output (the rethrow below).
    const message = redactedMessage(error);
    // Retrying cannot fix bad input, a missing record or an unmet precondition; it can fix a lost connection.
    const permanent =
      error instanceof PermanentJobError ||
      error instanceof z.ZodError ||
      (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "INVALID_INPUT" || error.code === "PRECONDITION_FAILED"));
    const willRetry = !permanent && job.retryCount < job.retryLimit;
    await record("recording its failure", () =>
      db.jobRun.update({
        where: { id: jobRunId },
        data: { state: willRetry ? "queued" : "failed", error: message, finishedAt: willRetry ? null : new Date() },
      }),
    );
    await record("logging its failure", () => ctx.log(willRetry ? `Failed: ${message} — will retry` : `Failed: ${message}`, "error"));
    // pg-boss retries thrown errors; a permanent failure is acknowledged instead so it is not retried.
    if (!willRetry && permanent) return { failed: message };
    throw redactedError(error);
  }
}
