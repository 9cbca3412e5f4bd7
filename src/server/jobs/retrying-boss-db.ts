import type PgBoss from "pg-boss";
import pg from "pg";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import { retryWhileUnavailable } from "@/server/database/retry-while-unavailable";

export interface RetryingBossDb extends PgBoss.Db {
  close(): Promise<void>;
}

/**
 * pg-boss's connection for workers. pg-boss records a handler's outcome (complete / fail) without awaiting it, so
 * when PostgreSQL is down that write rejects with nobody to catch it and Node exits. Every statement here is
 * instead retried with backoff while the database is unreachable: the outcome is written when it comes back, the
 * polling loop waits instead of erroring every second, and a dropped connection is replaced by the pool.
 *
 * pg-boss's statements are safe to repeat except a fetch whose commit was lost with its connection: that job stays
 * active without a handler, and the job-run sweep re-queues it once it has gone without a heartbeat.
 */
export function createRetryingBossDb(
  connectionString: string,
  options: { max: number; applicationName: string; log: (line: string) => void },
): RetryingBossDb {
  const pool = new pg.Pool({ connectionString, max: options.max, application_name: options.applicationName });
  let closing = false;
  let lastIdleError = 0;
  // Many pg-boss loops retry at once during an outage: say when it starts and when it ends, once each.
  let down = false;
  // An idle pooled connection that PostgreSQL closes emits here; without a listener Node would exit.
  pool.on("error", (error) => {
    if (Date.now() - lastIdleError > 10_000)
      options.log(`pg-boss connection lost (${isDatabaseUnavailable(error) ? "database unavailable" : error.message})`);
    lastIdleError = Date.now();
  });
  return {
    executeSql(text, values) {
      return retryWhileUnavailable(
        async () => {
          const result = await pool.query(text, values);
          if (down) {
            down = false;
            options.log("pg-boss: the database answers again; jobs resume");
          }
          return result;
        },
        {
          giveUp: () => closing,
          onUnavailable: () => {
            if (!down) options.log("pg-boss: the database is unreachable; job outcomes and polling wait for it");
            down = true;
          },
        },
      );
    },
    async close() {
      closing = true;
      await pool.end();
    },
  };
}
