/**
 * Where a full re-score's time goes at scale, without the whole loop benchmark: `npx tsx bench/loop/score-phases.ts
 * --database <name> [--rounds 2]` on a database bench/loop/train-phases.ts --keep left on DATABASE_URL's server
 * (its project trained at least once). Per round: queued jobs left by earlier benches are dropped, a retrain
 * writes a new version (which queues its score job), and an in-process worker (WORKER_CONCURRENCY slots) scores
 * the pool; prints the score job's time, the chunks' summed reads / compute / writes, their span, the index +
 * attach, the in-memory floor of the loop benchmark and the load average. Each round first drops the partitions of
 * the versions before the active one (the last round's stays, for looking at its ranking).
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { memoryFloor } from "./floors";
import { chunkSeconds, jobLog, seconds, waitForJob } from "./jobs";
import { benchArg as arg } from "../bench-args";

const rounds = Number(arg("rounds", "2"));
const name = arg("database");
if (!process.env.DATABASE_URL || !name) throw new Error("usage: DATABASE_URL=… score-phases.ts --database <name>");
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const u = new URL(process.env.DATABASE_URL);
u.pathname = `/${name}`;
const url = u.toString();
process.env.DATABASE_URL = url;
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
const { createDb } = await import("@/server/db");
const { env } = await import("@/env");
const { createBoss, startBossWithQueues } = await import("@/server/jobs/boss");
const { trainModelVersion } = await import("@/server/domain/training/train-model-version");
const { dropVersionPredictions } = await import("@/server/domain/scoring/prediction-partitions");
const { startWorker } = await import("@/worker/start-worker");
const db = createDb(url, { poolSize: 20 });
const boss = createBoss(url, { worker: false });
await startBossWithQueues(boss, url);
const noHooks = { log: async () => undefined, progress: async () => undefined, throwIfCancelled: async () => {} };
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
try {
  const project = await db.project.findFirstOrThrow({ orderBy: { id: "asc" } });
  const items = await db.item.count({ where: { projectId: project.id } });
  // Score jobs earlier benches queued without a worker: not this bench's to run.
  await db.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE state IN ('created', 'retry')`);
  await db.jobRun.updateMany({ where: { state: "queued" }, data: { state: "cancelled" } });
  worker = await startWorker({
    db,
    connectionString: url,
    concurrency: env().WORKER_CONCURRENCY,
    pollingSeconds: env().JOB_POLL_SECONDS,
    log: () => undefined,
  });
  for (let round = 0; round < rounds; round++) {
    const { activeModelVersionId } = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    const older = await db.modelVersion.findMany({
      where: { projectId: project.id, id: { not: activeModelVersionId ?? -1 } },
      select: { id: true },
    });
    await db.$transaction(
      (tx) =>
        dropVersionPredictions(
          tx,
          older.map((v) => v.id),
        ),
      { timeout: 600_000 },
    );
    const loadBefore = load();
    const since = new Date();
    const version = await trainModelVersion(db, boss, project.id, { hooks: noHooks });
    const run = await waitForJob(db, "score", project.id, since, 3_600_000, 100);
    const chunks = await chunkSeconds(db, project.id, since);
    const floor = memoryFloor(items, 200);
    log(
      `round ${round}: score job ${seconds(run)} s for ${items} items (÷ memory floor ${floor.ms.toFixed(0)} ms = ${((seconds(run) * 1000) / floor.ms).toFixed(0)}×); chunks: ${JSON.stringify(chunks)}; load ${loadBefore} → ${load()}`,
    );
    for (const line of await jobLog(db, run.id)) log(`  ${line}`);
    log(`version ${version.id} ranked`);
  }
} finally {
  await worker?.stop().catch(() => undefined);
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db.$disconnect();
}
process.exit(0);
