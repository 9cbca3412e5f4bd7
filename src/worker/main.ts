import { env, requireDatabaseUrl } from "@/env";
import { db } from "@/server/db";
import { startWorker } from "@/worker/start-worker";

// `npm run worker`: a stateless process; run as many as the load needs against one database.
async function main() {
  const e = env();
  const worker = await startWorker({ db: db(), connectionString: requireDatabaseUrl(), concurrency: e.WORKER_CONCURRENCY, pollingSeconds: e.JOB_POLL_SECONDS });
  console.log(`[worker] ready (concurrency ${e.WORKER_CONCURRENCY})`);
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

main().catch((error: unknown) => {
  console.error(`[worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
