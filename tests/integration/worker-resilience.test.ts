import { spawn } from "node:child_process";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestTraining } from "@/server/domain/training/request-training";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreJob } from "@/server/jobs/job-definitions";
import { startWorker } from "@/worker/start-worker";
import { addItems, makeProject, makeUser, readJsonl } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

// A worker killed mid-job: its job must be retried once the lease expires, and produce exactly one version.
process.env.JOB_EXPIRE_SECONDS = "3";
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

async function labeledProject(labeled: number) {
  // GloVe alone: these tests are about leases and retries, and a 3-second lease must outlast a training on a loaded
  // machine (the default hybrid's model selection takes several seconds there).
  const { project, classes } = await makeProject(testDb.db, { classes: ["World", "Sports", "Business", "Sci/Tech"], featurizerId: "glove-sif-200@1" });
  const ids = await addItems(testDb.db, project.id, rows.map((r) => r.text));
  const classId = new Map(classes.map((c) => [c.name, c.id]));
  const data = rows.slice(0, labeled).map((r, i) => ({ projectId: project.id, itemId: ids[i]!, classIds: [classId.get(r.label)!], origin: "imported" as const }));
  await testDb.db.annotation.createMany({ data });
  for (const [name, id] of classId) {
    const itemIds = data.filter((d) => d.classIds[0] === id).map((d) => d.itemId);
    await testDb.db.item.updateMany({ where: { id: { in: itemIds } }, data: { labelStatus: "labeled", labelClassIds: [id], labelOrigin: "imported", labeledAt: new Date() } });
    expect(name).toBeTruthy();
  }
  return project;
}

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
    const project = await labeledProject(1500);
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/worker/main.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: testDb.url, JOB_POLL_SECONDS: "0.5" },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const run = await requestTraining(testDb.db, boss, project.id, admin.id);
      await until(() => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }), (r) => r.state === "running");
      child.kill("SIGKILL");
      await exited;
      const versionsAtKill = await testDb.db.modelVersion.count({ where: { projectId: project.id } });
      expect(versionsAtKill).toBe(0);

      // pg-boss notices the dead worker's job once its expiry passes (maintenance), then any worker retries it.
      await new Promise((r) => setTimeout(r, 3500));
      await boss.maintain();
      const worker = await startWorker({ db: testDb.db, connectionString: testDb.url, concurrency: 1, pollingSeconds: 0.5, log: () => undefined });
      try {
        const done = await until(() => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }), (r) => r.state === "completed" || r.state === "failed");
        expect(done.state).toBe("completed");
        expect(done.attempts).toBeGreaterThanOrEqual(2);
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

  it("splits a large pool into chunk jobs that two workers share, scoring every item exactly once", { timeout: 240_000 }, async () => {
    const admin = await makeUser(testDb.db, "admin");
    const project = await labeledProject(400);
    const workers = await Promise.all([0, 1].map(() => startWorker({ db: testDb.db, connectionString: testDb.url, concurrency: 2, pollingSeconds: 0.5, log: () => undefined })));
    try {
      const train = await requestTraining(testDb.db, boss, project.id, admin.id);
      await until(() => testDb.db.jobRun.findUniqueOrThrow({ where: { id: train.id } }), (r) => r.state === "completed");
      const version = await testDb.db.modelVersion.findFirstOrThrow({ where: { projectId: project.id } });
      const score = await until(() => testDb.db.jobRun.findFirst({ where: { projectId: project.id, type: "score" } }), (r) => r?.state === "completed" || r?.state === "failed");
      expect(score!.state).toBe("completed");
      const chunks = await testDb.db.jobRun.findMany({ where: { projectId: project.id, type: "score-chunk" } });
      expect(chunks.length).toBeGreaterThanOrEqual(6);
      expect(chunks.every((c) => c.state === "completed")).toBe(true);
      const [counts] = await testDb.db.$queryRaw<{ rows: bigint; items: bigint }[]>`
        SELECT count(*) AS rows, count(DISTINCT item_id) AS items FROM prediction WHERE model_version_id = ${version.id}`;
      expect(Number(counts!.rows)).toBe(2000);
      expect(Number(counts!.items)).toBe(2000);

      // Re-running the same scoring (a duplicated delivery) changes nothing.
      await testDb.db.$transaction((tx) => enqueueJob(tx, boss, scoreJob, { projectId: project.id, modelVersionId: version.id }, { projectId: project.id }));
      await until(() => testDb.db.jobRun.count({ where: { projectId: project.id, type: "score", state: "completed" } }), (n) => n === 2);
      expect(await testDb.db.prediction.count({ where: { modelVersionId: version.id } })).toBe(2000);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});
