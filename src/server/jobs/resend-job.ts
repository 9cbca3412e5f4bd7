import type PgBoss from "pg-boss";
import { env } from "@/env";
import type { Db } from "@/server/db";
import type { JobDefinition } from "@/server/jobs/define-job";
import { transactionDb } from "@/server/jobs/enqueue-job";
import { notifyJobQueued } from "@/server/jobs/job-wake";

/**
 * Puts a delivered (or waiting) job back on its queue under the same id (so job_run and the sweep still find it),
 * to be delivered again after `startAfterSeconds`. The delivery that calls this returns normally; pg-boss's completion of
 * it then finds no active job and does nothing. Used when a run must be looked at again later without holding a
 * worker: a parent waiting for its chunks, or a run another live execution holds.
 */
export async function resendJob(
  db: Db,
  boss: PgBoss,
  definition: JobDefinition,
  job: { id: string; data: object; singletonKey?: string | null },
  startAfterSeconds: number,
) {
  await db.$transaction(async (tx) => {
    const bossDb = transactionDb(tx);
    await boss.deleteJob(definition.name, job.id, { db: bossDb });
    await boss.send(definition.name, job.data, {
      id: job.id,
      retryLimit: definition.retryLimit,
      retryDelay: definition.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: env().JOB_EXPIRE_SECONDS ?? definition.expireInSeconds,
      // 0: at once (pg-boss reads a missing start as now).
      startAfter: Math.max(0, Math.round(startAfterSeconds)),
      ...(job.singletonKey ? { singletonKey: job.singletonKey } : {}),
      db: bossDb,
    });
    if (startAfterSeconds <= 0) await notifyJobQueued(tx, definition.name);
  });
}
