/**
 * How long a queued job waits for an idle worker: `npx tsx bench/loop/job-pickup.ts --rounds 20`. One in-process
 * worker (2 slots per queue, polling every 0.5 s as training's queue does); jobs queued one at a time at random
 * moments, alternately through enqueueJob (which notifies listening workers on commit, jobs/job-wake.ts) and through
 * the same two writes without the notification (what enqueueJob did before), so each job is found by the wake-up or
 * by the next poll. Prints job_run's created → started per way (both stamped by PostgreSQL). Uses DATABASE_URL's
 * server when set (a database of its own, dropped afterwards), else an embedded PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { createBenchDatabase } from "./bench-database";
import { benchArg as arg } from "../bench-args";

const rounds = Number(arg("rounds", "20"));
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

const database = await createBenchDatabase(process.env.DATABASE_URL);
process.env.DATABASE_URL = database.url;
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
const { createDb } = await import("@/server/db");
const { createBoss, startBossWithQueues } = await import("@/server/jobs/boss");
const { enqueueJob, transactionDb } = await import("@/server/jobs/enqueue-job");
const { projectStatsJob } = await import("@/server/jobs/job-definitions");
const { createProject } = await import("@/server/domain/projects/create-project");
const { startWorker } = await import("@/worker/start-worker");
const db = createDb(database.url, { poolSize: 8 });
const boss = createBoss(database.url, { worker: false });
await startBossWithQueues(boss, database.url);
const worker = await startWorker({
  db,
  connectionString: database.url,
  concurrency: 2,
  pollingSeconds: 0.5,
  log: () => undefined,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  const loadAtStart = load();
  const project = await createProject(db, { name: "pickup", featurizerId: "glove-sif-200@1" }, null);
  const payload = { projectId: project.id };
  const ways = {
    notified: () => db.$transaction((tx) => enqueueJob(tx, boss, projectStatsJob, payload, { projectId: project.id })),
    polled: () =>
      db.$transaction(async (tx) => {
        const run = await tx.jobRun.create({
          data: {
            type: projectStatsJob.name,
            payload: { version: projectStatsJob.version, data: payload },
            projectId: project.id,
          },
        });
        await boss.send(
          projectStatsJob.name,
          { jobRunId: run.id, version: projectStatsJob.version, data: payload },
          { id: run.id, retryLimit: projectStatsJob.retryLimit, db: transactionDb(tx) },
        );
        return run;
      }),
  };
  const waits: Record<keyof typeof ways, number[]> = { notified: [], polled: [] };
  await sleep(2000);
  for (let round = 0; round < rounds; round++) {
    for (const way of Object.keys(ways) as (keyof typeof ways)[]) {
      await sleep(300 + Math.random() * 700); // a random moment of the worker's polling cycle
      const run = await ways[way]();
      let started: { createdAt: Date; startedAt: Date | null; state: string } | null = null;
      for (let i = 0; i < 200 && !(started?.state === "completed"); i++) {
        await sleep(25);
        started = await db.jobRun.findUnique({
          where: { id: run.id },
          select: { createdAt: true, startedAt: true, state: true },
        });
      }
      waits[way].push(started!.startedAt!.getTime() - started!.createdAt.getTime());
    }
    console.log(`round ${round}: notified ${waits.notified.at(-1)} ms, polled ${waits.polled.at(-1)} ms`);
  }
  const q = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))]!;
  for (const way of Object.keys(waits) as (keyof typeof ways)[])
    console.log(
      `${way}: queued → started median ${q(waits[way], 0.5)} ms, p90 ${q(waits[way], 0.9)} ms, max ${Math.max(...waits[way])} ms (${rounds} jobs)`,
    );
  console.log(`load average ${loadAtStart} at the start, ${load()} at the end`);
} finally {
  await worker.stop();
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db.$disconnect();
  await database.drop();
}
process.exit(0);
