import { spawn } from "node:child_process";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestTraining } from "@/server/domain/training/request-training";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreJob } from "@/server/jobs/job-definitions";
import { startWorker } from "@/worker/start-worker";
import { makeUser, readJsonl } from "../helpers/factories";
import { labeledProject } from "../helpers/labeled-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

// A worker killed mid-job: its job must be retried once its heartbeat is stale (not pg-boss's hour-long expiry), and
// produce exactly one version. Short bounds here, inherited by the worker processes the tests spawn.
process.env.JOB_HEARTBEAT_SECONDS = "0.5";
process.env.JOB_STALE_SECONDS = "3";
process.env.JOB_SWEEP_SECONDS = "1";
process.env.SCORE_CHUNK_SIZE = "300";

const root = path.resolve(import.meta.dirname, "../..");
let testDb: TestDatabase;
let boss: PgBoss;
const rows = await readJsonl<{ text: string; label: string }>(path.join(root, "tests/fixtures/ag-news-2000.jsonl"));

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("worker resilience", () => {
  it("retries a training whose worker was killed and ends with exactly one version", { timeout: 240_000 }, async () => {
    const admin = await makeUser(testDb.db, "admin");
    const project = await labeledProject(testDb.db, rows, 1500);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/worker/main.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: testDb.url, JOB_POLL_SECONDS: "0.5" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const run = await requestTraining(testDb.db, boss, project.id, admin.id);
      await until(
        () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
        (r) => r.state === "running",
      );
      child.kill("SIGKILL");
      await exited;
      const versionsAtKill = await testDb.db.modelVersion.count({ where: { projectId: project.id } });
      expect(versionsAtKill).toBe(0);

      // Any worker's sweep re-queues the dead worker's job once its heartbeat is stale, then runs it.
      const worker = await startWorker({
        db: testDb.db,
        connectionString: testDb.url,
        concurrency: 1,
        pollingSeconds: 0.5,
        log: () => undefined,
      });
      try {
        const done = await until(
          () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
          (r) => r.state === "completed" || r.state === "failed",
        );
        expect(done.state).toBe("completed");
        expect(done.attempts).toBeGreaterThanOrEqual(2);
        const logs = await testDb.db.jobLog.findMany({ where: { jobRunId: run.id }, orderBy: { id: "asc" } });
        expect(logs.map((l) => l.message)).toContain(
          "Failed: The worker running this job stopped (no heartbeat for 3 s) — will retry",
        );
      } finally {
        await worker.stop();
      }
      const versions = await testDb.db.modelVersion.findMany({ where: { projectId: project.id } });
      expect(versions).toHaveLength(1);
      expect(versions[0]!.jobRunId).toBe(run.id);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });

  it(
    "splits a large pool into chunk jobs that two workers share, scoring every item exactly once",
    { timeout: 240_000 },
    async () => {
      const admin = await makeUser(testDb.db, "admin");
      const project = await labeledProject(testDb.db, rows, 400);
      const workers = await Promise.all(
        [0, 1].map(() =>
          startWorker({
            db: testDb.db,
            connectionString: testDb.url,
            concurrency: 2,
            pollingSeconds: 0.5,
            log: () => undefined,
          }),
        ),
      );
      try {
        const train = await requestTraining(testDb.db, boss, project.id, admin.id);
        await until(
          () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: train.id } }),
          (r) => r.state === "completed",
        );
        const version = await testDb.db.modelVersion.findFirstOrThrow({ where: { projectId: project.id } });
        const score = await until(
          () => testDb.db.jobRun.findFirst({ where: { projectId: project.id, type: "score" } }),
          (r) => r?.state === "completed" || r?.state === "failed",
        );
        expect(score!.state).toBe("completed");
        const chunks = await testDb.db.jobRun.findMany({ where: { projectId: project.id, type: "score-chunk" } });
        expect(chunks.length).toBeGreaterThanOrEqual(6);
        expect(chunks.every((c) => c.state === "completed")).toBe(true);
        const [counts] = await testDb.db.$queryRaw<{ rows: bigint; items: bigint }[]>`
        SELECT count(*) AS rows, count(DISTINCT item_id) AS items FROM prediction WHERE model_version_id = ${version.id}`;
        expect(Number(counts!.rows)).toBe(2000);
        expect(Number(counts!.items)).toBe(2000);

        // Re-running the same scoring (a duplicated delivery) changes nothing.
        await testDb.db.$transaction((tx) =>
          enqueueJob(
            tx,
            boss,
            scoreJob,
            { projectId: project.id, modelVersionId: version.id },
            { projectId: project.id },
          ),
        );
        await until(
          () => testDb.db.jobRun.count({ where: { projectId: project.id, type: "score", state: "completed" } }),
          (n) => n === 2,
        );
        expect(await testDb.db.prediction.count({ where: { modelVersionId: version.id } })).toBe(2000);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    },
  );
});
