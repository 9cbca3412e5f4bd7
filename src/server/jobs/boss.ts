import PgBoss from "pg-boss";
import { requireDatabaseUrl } from "@/env";
import { allJobs } from "@/server/jobs/job-definitions";
import { withQueueSetupLock } from "@/server/jobs/queue-setup-lock";
import { redactedMessage } from "@/server/redact-secrets";

/** pg-boss's schema (its default, named here because the job-run sweep reads pg-boss's own tables). */
export const BOSS_SCHEMA = "pgboss";

/** `db` replaces pg-boss's own connection pool (workers pass one that waits out database outages). */
export function createBoss(
  connectionString: string,
  options: { worker: boolean; pollingSeconds?: number; db?: PgBoss.Db },
) {
  return new PgBoss({
    connectionString,
    ...(options.db ? { db: options.db } : {}),
    schema: BOSS_SCHEMA,
    application_name: options.worker ? "margin-worker" : "margin-web",
    max: options.worker ? 6 : 3,
    // Only workers run pg-boss's maintenance and cron; web replicas just enqueue.
    supervise: options.worker,
    schedule: options.worker,
  });
}

export interface ExtraQueue {
  name: string;
  retryLimit: number;
  expireInSeconds: number;
}

/**
 * Starts pg-boss and creates every declared queue (plus `extra`), one process at a time: create_queue is
 * idempotent but not safe to run concurrently (see withQueueSetupLock), and web and worker replicas start together.
 */
export async function startBossWithQueues(
  boss: PgBoss,
  connectionString: string,
  options: { extra?: ExtraQueue[]; log?: (line: string) => void } = {},
) {
  await withQueueSetupLock(
    connectionString,
    async () => {
      await boss.start();
      await ensureQueues(boss);
      for (const queue of options.extra ?? []) await boss.createQueue(queue.name, { ...queue });
    },
    { log: options.log },
  );
}

/** Creates every declared queue; call it through startBossWithQueues, which serializes processes. */
async function ensureQueues(boss: PgBoss) {
  for (const job of allJobs) {
    await boss.createQueue(job.name, {
      name: job.name,
      retryLimit: job.retryLimit,
      retryDelay: job.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: job.expireInSeconds,
    });
  }
}

const globalForBoss = globalThis as unknown as { marginBoss?: Promise<PgBoss> };

/** The web process's pg-boss handle, used only to enqueue and cancel. */
export function boss(): Promise<PgBoss> {
  globalForBoss.marginBoss ??= (async () => {
    const instance = createBoss(requireDatabaseUrl(), { worker: false });
    instance.on("error", (error) => console.error("[pg-boss]", redactedMessage(error)));
    await startBossWithQueues(instance, requireDatabaseUrl());
    return instance;
  })().catch((error: unknown) => {
    globalForBoss.marginBoss = undefined;
    throw error;
  });
  return globalForBoss.marginBoss;
}
