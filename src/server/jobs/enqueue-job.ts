import type PgBoss from "pg-boss";
import { env } from "@/env";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { JobDefinition, JobPayload } from "@/server/jobs/define-job";
import { notifyJobQueued } from "@/server/jobs/job-wake";

/** pg-boss's `db` option, backed by a Prisma interactive transaction: the job commits or rolls back with it. */
export function transactionDb(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text, values) {
      // pg-boss passes the payload as an object for a ::jsonb parameter; Prisma's raw API wants it as text. Arrays
      // are id lists for ::uuid[] parameters (complete, fail, delete by id) and go through as arrays.
      const params = values.map((value: unknown) =>
        value !== null && typeof value === "object" && !(value instanceof Date) && !Array.isArray(value)
          ? JSON.stringify(value)
          : value,
      );
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...params);
      return { rows };
    },
  };
}

/**
 * Records a JobRun (what users see) and enqueues the pg-boss job with the same id, inside the caller's
 * transaction, so a job exists exactly when the write that triggered it does; listening workers hear of a job due
 * now when the transaction commits (jobs/job-wake.ts).
 */
export async function enqueueJob<J extends JobDefinition>(
  tx: Tx,
  boss: PgBoss,
  job: J,
  payload: JobPayload<J>,
  meta: { projectId?: number | null; userId?: string | null; singletonKey?: string; startAfterSeconds?: number },
) {
  const data = job.payload.parse(payload) as Prisma.InputJsonValue;
  const run = await tx.jobRun.create({
    data: {
      type: job.name,
      payload: { version: job.version, data },
      projectId: meta.projectId ?? null,
      createdById: meta.userId ?? null,
    },
  });
  await boss.send(job.name, { jobRunId: run.id, version: job.version, data } as object, {
    id: run.id,
    retryLimit: job.retryLimit,
    retryDelay: job.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: env().JOB_EXPIRE_SECONDS ?? job.expireInSeconds,
    singletonKey: meta.singletonKey,
    ...(meta.startAfterSeconds ? { startAfter: meta.startAfterSeconds } : {}),
    db: transactionDb(tx),
  });
  if (!meta.startAfterSeconds) await notifyJobQueued(tx, job.name);
  return run;
}
