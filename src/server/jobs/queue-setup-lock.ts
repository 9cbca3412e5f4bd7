import pg from "pg";
import { retryWhileUnavailable } from "@/server/database/retry-while-unavailable";

/** Held (session-level) while a process starts pg-boss and creates its queues. */
const QUEUE_SETUP_LOCK = 4_137_003;

/**
 * Runs `fn` while holding a cluster-wide advisory lock on this database. pg-boss's create_queue inserts the queue
 * row and then attaches a partition with a foreign key to the queue table; two processes creating the same new
 * queue at once deadlock (one waits on the other's uncommitted row, the other on the first's table lock) — seen
 * when two workers started together and one died with "deadlock detected". A worker's pg-boss creates its cron
 * queue inside start(), so start() is covered too. The lock lives on its own connection: closing it (or the
 * process dying) releases it.
 */
export async function withQueueSetupLock<T>(
  connectionString: string,
  fn: () => Promise<T>,
  options: { log?: (line: string) => void } = {},
): Promise<T> {
  const client = await retryWhileUnavailable(
    async () => {
      const candidate = new pg.Client({ connectionString, application_name: "margin-queue-setup" });
      // A connection PostgreSQL drops while we hold it must not be an unhandled 'error' event.
      candidate.on("error", () => undefined);
      try {
        await candidate.connect();
        await candidate.query("SELECT pg_advisory_lock($1)", [QUEUE_SETUP_LOCK]);
        return candidate;
      } catch (error) {
        await candidate.end().catch(() => undefined);
        throw error;
      }
    },
    { log: options.log, what: "taking the queue set-up lock" },
  );
  try {
    return await fn();
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [QUEUE_SETUP_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
