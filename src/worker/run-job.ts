import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { env } from "@/env";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { retryWhileUnavailable } from "@/server/database/retry-while-unavailable";
import { claimJobRun } from "@/server/domain/job-runs/claim-job-run";
import { redactedError, redactedMessage } from "@/server/redact-secrets";
import type { JobDefinition, JobPayload } from "@/server/jobs/define-job";
import { resendJob } from "@/server/jobs/resend-job";
import { startHeartbeat } from "@/worker/heartbeat";
import {
  CheckBack,
  createJobContext,
  JobCancelledError,
  RunTakenOverError,
  type JobContext,
} from "@/worker/job-context";
import { jobFailure } from "@/worker/job-failure";

export type JobHandler<J extends JobDefinition> = (
  payload: JobPayload<J>,
  ctx: JobContext,
) => Promise<Prisma.InputJsonValue | void | CheckBack>;

interface Envelope {
  jobRunId: string;
  version: number;
  data: unknown;
  /** Set on a delivery a handler asked for with CheckBack: not a new attempt. */
  checkBack?: boolean;
  /** How many times a database outage interrupted this job (they do not use up its retries). */
  outages?: number;
}

export interface LivenessOptions {
  heartbeatSeconds: number;
  staleSeconds: number;
}

/**
 * Runs one delivery of a job and mirrors its state into job_run. Deliveries can repeat (retries, a worker killed
 * mid-job, pg-boss re-delivering a job whose handler outlived its expiry): the delivery first claims the run, and
 * only one execution holds a run at a time — one whose heartbeat is fresh. A delivery that finds the run finished
 * is acknowledged; one that finds it held by a live execution puts the job back to look again after the staleness
 * bound (in case that execution dies) and neither runs the handler nor fails the run. Handlers are idempotent.
 */
export async function runJob<J extends JobDefinition>(
  db: Db,
  boss: PgBoss,
  definition: J,
  handler: JobHandler<J>,
  job: PgBoss.JobWithMetadata<Envelope>,
  options: Partial<LivenessOptions> & {
    log?: (line: string) => void;
    /**
     * Runs once the run is recorded completed, for follow-ups that must see it so (a last score chunk wakes its
     * parent). Its failure is logged and costs only that promptness: the run stays completed.
     */
    afterCompleted?: (payload: JobPayload<J>) => Promise<unknown>;
  } = {},
) {
  const { jobRunId } = job.data;
  const heartbeatSeconds = options.heartbeatSeconds ?? env().JOB_HEARTBEAT_SECONDS;
  const staleSeconds = options.staleSeconds ?? env().JOB_STALE_SECONDS;
  const checkBack = job.data.checkBack === true;
  // The outcome of a run is written even if the database is away when the handler ends: retried until it answers
  // (each write is idempotent), so a run never stays "running" because PostgreSQL restarted at the wrong moment.
  const record = <T>(what: string, write: () => Promise<T>) =>
    retryWhileUnavailable(write, {
      log: (line) => options.log?.(`[worker] ${definition.name} ${jobRunId}: ${line}`),
      what,
    });
  const executionId = randomUUID();
  // Written only while this execution still holds the run.
  const own = { id: jobRunId, executionId };
  const released = { executionId: null, heartbeatAt: null };

  const claim = await claimJobRun(db, {
    jobRunId,
    executionId,
    staleSeconds: staleSeconds,
    countAttempt: !checkBack,
    retryCount: job.retryCount,
  });
  if (claim.outcome === "missing") return { skipped: "job run not found" };
  if (claim.outcome === "finished") return { skipped: `already ${claim.state}` };
  if (claim.outcome === "live") {
    await resendJob(db, boss, definition, job, staleSeconds);
    return { deferred: "another worker is running this job" };
  }

  const attempt = claim.attempts;
  const heartbeat = startHeartbeat(db, jobRunId, executionId, heartbeatSeconds);
  const ctx = createJobContext(db, boss, jobRunId, attempt, { takenOver: () => heartbeat.lost });
  try {
    if (!checkBack) await ctx.log(attempt > 1 ? `Started (attempt ${attempt})` : "Started");
    if (job.data.version !== definition.version) {
      throw new Error(`payload version ${job.data.version} is not ${definition.version}; re-run the job from the UI`);
    }
    await ctx.throwIfCancelled();
    const payload = definition.payload.parse(job.data.data) as JobPayload<J>;
    const result = await handler(payload, ctx);
    if (result instanceof CheckBack) {
      // The handler waits for other jobs: free this worker slot and the run (no heartbeat while nobody executes it).
      heartbeat.stop();
      await record("releasing it to check back later", async () => {
        await db.jobRun.updateMany({ where: own, data: released });
        await resendJob(db, boss, definition, { ...job, data: { ...job.data, checkBack: true } }, result.seconds);
      });
      return { checkBack: result.seconds };
    }
    // Handlers report progress at checkpoints, so the last one can be short of the end ("train 96 / 107", an import's
    // bytes before its commit): a finished run reads finished.
    const completed = await record("recording its completion", async () => {
      const { total } = await db.jobRun.findUniqueOrThrow({ where: { id: jobRunId }, select: { total: true } });
      const { count } = await db.jobRun.updateMany({
        where: own,
        data: {
          state: "completed",
          progress: 1,
          ...(total === null ? {} : { done: total }),
          result: result ?? undefined,
          finishedAt: new Date(),
          ...released,
        },
      });
      return count > 0;
    });
    if (!completed) throw new RunTakenOverError();
    await record("logging its completion", () => ctx.log("Completed"));
    await options
      .afterCompleted?.(payload)
      .catch((error: unknown) =>
        options.log?.(`[worker] ${definition.name} ${jobRunId}: after completion: ${redactedMessage(error)}`),
      );
    return result ?? {};
  } catch (error) {
    if (error instanceof RunTakenOverError) {
      // Another execution holds the run now and records its outcome; this job goes back to check on it later.
      await record("deferring to the execution that took it over", () =>
        resendJob(db, boss, definition, job, staleSeconds),
      );
      options.log?.(
        `[worker] ${definition.name} ${jobRunId}: another worker took this run over; this execution stopped`,
      );
      return { deferred: "another worker took this run over" };
    }
    if (error instanceof JobCancelledError) {
      await record("recording its cancellation", () =>
        db.jobRun.updateMany({ where: own, data: { state: "cancelled", finishedAt: new Date(), ...released } }),
      );
      await record("logging its cancellation", () => ctx.log("Cancelled", "warn"));
      return { cancelled: true };
    }
    // Redacted before it is stored anywhere: job_run.error, the job log, and pg-boss's output (the rethrow below).
    const message = redactedMessage(error);
    const outages = job.data.outages ?? 0;
    const failure = jobFailure(error, outages);
    if (failure === "outage") {
      // The database went away under the handler: nothing is wrong with the job, so it is put back (once the
      // database answers) to start again after its retry delay, without using up one of its retries.
      const delay = definition.retryDelaySeconds;
      await record("re-queueing it after the outage", async () => {
        await db.jobRun.updateMany({ where: own, data: { state: "queued", error: message, ...released } });
        await resendJob(db, boss, definition, { ...job, data: { ...job.data, outages: outages + 1 } }, delay);
      });
      // Prisma's message quotes the call site; its last line is the database's own words.
      const reason =
        message
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
          .at(-1) ?? message;
      await record("logging the interruption", () =>
        ctx.log(`Interrupted: the database was unavailable (${reason}) — will retry in ${delay} s`, "warn"),
      );
      return { interrupted: message };
    }
    // Retrying cannot fix bad input, a missing record or an unmet precondition; it can fix a lost connection.
    const permanent = failure === "permanent";
    const willRetry = !permanent && job.retryCount < job.retryLimit;
    await record("recording its failure", () =>
      db.jobRun.updateMany({
        where: own,
        data: {
          state: willRetry ? "queued" : "failed",
          error: message,
          finishedAt: willRetry ? null : new Date(),
          ...released,
        },
      }),
    );
    await record("logging its failure", () =>
      ctx.log(willRetry ? `Failed: ${message} — will retry` : `Failed: ${message}`, "error"),
    );
    // pg-boss retries thrown errors; a permanent failure is acknowledged instead so it is not retried.
    if (!willRetry && permanent) return { failed: message };
    throw redactedError(error);
  } finally {
    heartbeat.stop();
  }
}
