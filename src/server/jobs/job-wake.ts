import pg from "pg";
import type { Tx } from "@/server/db";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";

/** The channel a transaction that queues a job notifies, with the job's queue name, when it commits. */
export const JOB_WAKE_CHANNEL = "margin_job_queued";

// A lost listening connection is replaced after 1 s, doubling up to 30 s while the database stays away.
const RECONNECT_MS = { first: 1000, max: 30_000 };

/**
 * Tells listening workers, once `tx` commits, that `queue` has a job to run now (never if it rolls back):
 * pg-boss alone finds a job at its next poll, 0.25 s later on average for training (polled every 0.5 s) and 0.5 s
 * for the others — the largest wait left between an annotator's 50th label and the retrain starting.
 */
export async function notifyJobQueued(tx: Tx, queue: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${JOB_WAKE_CHANNEL}, ${queue})`;
}

/**
 * Calls `onQueued(queue)` for every job another process (or this one) queues, from a connection of its own that
 * LISTENs on JOB_WAKE_CHANNEL. Polling stays the floor: a notification missed while the connection was down only
 * costs a poll interval, and each (re)connection calls `onQueued(null)` so the caller can look at every queue once.
 */
export function listenForQueuedJobs(
  connectionString: string,
  onQueued: (queue: string | null) => void,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let client: pg.Client | null = null;
  let stopped = false;
  let delay = RECONNECT_MS.first;
  let timer: NodeJS.Timeout | undefined;
  let lastNotice = 0;

  const lost = (error?: unknown) => {
    if (stopped) return;
    const dropped = client;
    client = null;
    dropped?.removeAllListeners();
    dropped?.on("error", () => undefined); // a late error of a connection given up on
    void dropped?.end().catch(() => undefined);
    if (Date.now() - lastNotice > 10_000 && error !== undefined && !isDatabaseUnavailable(error))
      log(`[worker] job wake-up connection lost: ${error instanceof Error ? error.message : String(error)}`);
    lastNotice = Date.now();
    timer = setTimeout(connect, delay);
    delay = Math.min(RECONNECT_MS.max, delay * 2);
  };
  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString, application_name: "margin-worker-wake" });
    client = next;
    next.on("error", lost);
    next.on("end", () => client === next && lost());
    next.on("notification", (message) => {
      if (message.channel === JOB_WAKE_CHANNEL && message.payload) onQueued(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${JOB_WAKE_CHANNEL}`);
      delay = RECONNECT_MS.first;
      onQueued(null);
    } catch (error) {
      if (client === next) lost(error);
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const last = client;
      client = null;
      last?.removeAllListeners();
      last?.on("error", () => undefined);
      await last?.end().catch(() => undefined);
    },
  };
}
