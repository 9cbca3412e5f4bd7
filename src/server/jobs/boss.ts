import PgBoss from "pg-boss";
import { requireDatabaseUrl } from "@/env";
import { allJobs } from "@/server/jobs/job-definitions";
import { redactedMessage } from "@/server/redact-secrets";

/** pg-boss's schema (its default, named here because the job-run sweep reads pg-boss's own tables). */
export const BOSS_SCHEMA = "pgboss";

/** `db` replaces pg-boss's own connection pool (workers pass one that waits out database outages). */
export function createBoss(connectionString: string, options: { worker: boolean; pollingSeconds?: number; db?: PgBoss.Db }) {
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

/** Creates every declared queue; pg-boss's create_queue is idempotent, so every process may call it. */
export async function ensureQueues(boss: PgBoss) {
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
    await instance.start();
    await ensureQueues(instance);
    return instance;
  })().catch((error: unknown) => {
    globalForBoss.marginBoss = undefined;
    throw error;
  });
  return globalForBoss.marginBoss;
}
