import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { requestTraining } from "@/server/domain/training/request-training";
import { createBoss, startBossWithQueues } from "@/server/jobs/boss";
import { makeUser, readJsonl } from "../helpers/factories";
import { labeledProject } from "../helpers/labeled-project";
import { startOwnPostgres, type OwnPostgres } from "../helpers/own-postgres";
import { waitFor } from "../helpers/wait-for";

// The worker must outlive a PostgreSQL restart that happens while it runs a job, and finish that job afterwards.
// The cluster belongs to this test (its own port and data folder), so stopping it disturbs no other test file.
const root = path.resolve(import.meta.dirname, "../..");
const rows = await readJsonl<{ text: string; label: string }>(path.join(root, "tests/fixtures/ag-news-2000.jsonl"));

let pg: OwnPostgres;
let db: Db;
let boss: PgBoss;

beforeAll(async () => {
  pg = await startOwnPostgres();
  db = createDb(pg.url, { poolSize: 4 });
  boss = createBoss(pg.url, { worker: false });
  // This test's own client sees the outage too; its errors are expected here.
  boss.on("error", () => undefined);
  await startBossWithQueues(boss, pg.url);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db?.$disconnect();
  await pg?.destroy();
});

function startWorkerProcess(url: string) {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/worker/main.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, JOB_POLL_SECONDS: "0.5" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!])
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean)));
  return { child, output, alive: () => child.exitCode === null && child.signalCode === null };
}

describe("worker during a database outage", () => {
  it(
    "stays up while PostgreSQL restarts under a running job, and the job completes afterwards",
    { timeout: 600_000 },
    async () => {
      const admin = await makeUser(db, "admin");
      const project = await labeledProject(db, rows, 1500);
      const worker = startWorkerProcess(pg.url);
      try {
        // A tsx process starting beside the other test files on 2 cores can take over a minute (seen in CI).
        await waitFor(async () => worker.output.some((line) => line.includes("ready")) || !worker.alive(), Boolean, {
          timeoutMs: 240_000,
        }).catch((error: Error) => {
          throw new Error(
            `${error.message}: the worker did not say "ready"; it printed: ${worker.output.slice(-5).join(" | ")}`,
          );
        });
        expect(worker.alive()).toBe(true);
        const run = await requestTraining(db, boss, project.id, admin.id);
        await waitFor(
          () => db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
          (r) => r.state === "running",
          { timeoutMs: 60_000, intervalMs: 20 },
        );

        await pg.stop();
        // Long enough for the job's writes, pg-boss's polling and the pools to hit the closed server many times.
        await new Promise((resolve) => setTimeout(resolve, 4000));
        expect(worker.alive(), worker.output.join("\n")).toBe(true);
        const restartedAt = new Date();
        await pg.start();

        const done = await waitFor(
          () => db.jobRun.findUniqueOrThrow({ where: { id: run.id } }).catch(() => undefined),
          (r) => r?.state === "completed" || r?.state === "failed",
          { timeoutMs: 180_000, intervalMs: 250 },
        );
        expect(done!.state, `${done!.error}\n${worker.output.join("\n")}`).toBe("completed");
        expect(done!.finishedAt!.getTime()).toBeGreaterThan(restartedAt.getTime() - 1000);
        expect(worker.alive(), worker.output.join("\n")).toBe(true);
        // Exactly one version, made by this run, whatever the outage interrupted.
        const versions = await db.modelVersion.findMany({ where: { projectId: project.id } });
        expect(versions).toHaveLength(1);
        expect(versions[0]!.jobRunId).toBe(run.id);
        expect(
          worker.output.some((line) => /database is (unreachable|unavailable)/.test(line)),
          worker.output.join("\n"),
        ).toBe(true);
      } finally {
        if (worker.alive()) worker.child.kill("SIGKILL");
      }
    },
  );
});
