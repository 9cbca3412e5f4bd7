import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { redactSecrets } from "@/server/redact-secrets";

export class JobCancelledError extends Error {
  constructor() {
    super("Job cancelled");
    this.name = "JobCancelledError";
  }
}

/** The run was taken over by another execution (this one stalled past the heartbeat bound): stop, record nothing. */
export class RunTakenOverError extends Error {
  constructor() {
    super("Another worker took this run over (this execution's heartbeat had gone stale)");
    this.name = "RunTakenOverError";
  }
}

/**
 * What a handler returns to be run again in `seconds` instead of waiting in its worker slot (a parent score job
 * waiting for its chunks). The run stays running; the next delivery calls the handler again from the top, so the
 * handler must pick up where it left off.
 */
export class CheckBack {
  constructor(readonly seconds: number) {}
}

/** A failure that retrying cannot fix (missing data, bad settings): the run fails at once with this message. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

/** What a handler gets besides its payload: persisted progress, log lines and cancellation checkpoints. */
export interface JobContext {
  db: Db;
  /** The worker's queue handle, for jobs that queue follow-up jobs. */
  boss: PgBoss;
  jobRunId: string;
  attempt: number;
  log(message: string, level?: "info" | "warn" | "error"): Promise<void>;
  progress(done: number, total?: number): Promise<void>;
  throwIfCancelled(): Promise<void>;
}

export function createJobContext(
  db: Db,
  boss: PgBoss,
  jobRunId: string,
  attempt: number,
  options: { takenOver?: () => boolean } = {},
): JobContext {
  return {
    db,
    boss,
    jobRunId,
    attempt,
    async log(message, level = "info") {
      await db.jobLog.create({ data: { jobRunId, message: redactSecrets(message), level } });
    },
    async progress(done, total) {
      const fraction = total ? Math.min(1, done / total) : undefined;
      await db.jobRun.update({
        where: { id: jobRunId },
        data: { done, total, ...(fraction === undefined ? {} : { progress: fraction }) },
      });
    },
    async throwIfCancelled() {
      if (options.takenOver?.()) throw new RunTakenOverError();
      const run = await db.jobRun.findUnique({ where: { id: jobRunId }, select: { cancelRequestedAt: true } });
      if (run?.cancelRequestedAt) throw new JobCancelledError();
    },
  };
}
