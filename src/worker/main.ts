import { closeSync, openSync, utimesSync } from "node:fs";
import { env, requireDatabaseUrl } from "@/env";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import { db } from "@/server/db";
import { redactedMessage, redactSecrets } from "@/server/redact-secrets";
import { startWorker } from "@/worker/start-worker";

// `npm run worker`: a stateless process; run as many as the load needs against one database.
// A database outage must not end the worker: every database write it makes is awaited and retried, and this is the
// net under anything that still slips through (a library's un-awaited write). Other surprises stay fatal, so that
// a supervisor restarts a process in an unknown state.
process.on("unhandledRejection", (reason) => {
  if (isDatabaseUnavailable(reason)) {
    console.error(`[worker] database unavailable (${redactedMessage(reason)}); carrying on`);
    return;
  }
  console.error(
    `[worker] unhandled rejection: ${reason instanceof Error && reason.stack ? redactSecrets(reason.stack) : redactedMessage(reason)}`,
  );
  process.exit(1);
});

async function main() {
  const e = env();
  const worker = await startWorker({
    db: db(),
    connectionString: requireDatabaseUrl(),
    concurrency: e.WORKER_CONCURRENCY,
    pollingSeconds: e.JOB_POLL_SECONDS,
  });
  console.log(`[worker] ready (concurrency ${e.WORKER_CONCURRENCY})`);
  if (e.WORKER_HEALTH_FILE) touchEvery(e.WORKER_HEALTH_FILE, 10_000);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing current jobs`);
    await worker.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/** Liveness for a container healthcheck: the file's age says whether this process's event loop still turns. */
function touchEvery(file: string, ms: number) {
  const touch = () => {
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      closeSync(openSync(file, "a"));
    }
  };
  touch();
  setInterval(touch, ms).unref();
}

main().catch((error: unknown) => {
  console.error(`[worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
