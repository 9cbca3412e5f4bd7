import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileJobRuns } from "@/server/domain/job-runs/reconcile-job-runs";
import { queueTraining } from "@/server/domain/training/queue-training";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import type { JobDefinition } from "@/server/jobs/define-job";
import { embedJob, projectStatsJob, trainJob } from "@/server/jobs/job-definitions";
import { runJob } from "@/worker/run-job";
import { startWorker } from "@/worker/start-worker";
import { makeProject, makeUser } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// pg-boss expires an active job whose worker went quiet after this long (read by enqueueJob).
process.env.JOB_EXPIRE_SECONDS = "1";

let testDb: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

type Envelope = { jobRunId: string; version: number; data: unknown };

/** A worker takes the next job of the queue and dies inside its handler: runJob marked the run running, nothing more. */
async function deliverAndDie(definition: JobDefinition, expectedId: string) {
  const [job] = await boss.fetch<Envelope>(definition.name, { includeMetadata: true, ignoreStartAfter: true });
  expect(job?.id).toBe(expectedId);
  // A dead worker renews no heartbeat: none after the claim, whose heartbeat is then aged past the bound.
  void runJob(testDb.db, boss, definition, () => new Promise<never>(() => undefined), job!, {
    heartbeatSeconds: 3600,
    staleSeconds: 60,
  });
  const run = await waitFor(
    () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: expectedId } }),
    (r) => r.state === "running" && r.attempts === job!.retryCount + 1,
    { intervalMs: 20 },
  );
  await testDb.db
    .$executeRaw`UPDATE job_run SET heartbeat_at = heartbeat_at - interval '1 hour' WHERE id = ${expectedId}::uuid`;
  return run;
}

async function expireActiveJobs() {
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  await boss.maintain();
}

async function bossState(queue: string, id: string) {
  return (await boss.getJobById(queue, id, { includeArchive: true }))?.state ?? null;
}

const queueTrainingNow = (projectId: number, userId: string) =>
  testDb.db.$transaction(async (tx) => (await queueTraining(tx, boss, projectId, userId, "manual")).run);

describe("job run reconciliation", () => {
  it("fails a training whose worker died on every attempt once pg-boss gives up, so a new training can be queued", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const { project } = await makeProject(testDb.db);
    const run = await queueTrainingNow(project.id, admin.id);

    for (let attempt = 1; attempt <= trainJob.retryLimit + 1; attempt++) {
      await deliverAndDie(trainJob, run.id);
      await expireActiveJobs();
      if (attempt <= trainJob.retryLimit) {
        // pg-boss will deliver it again: the run is not stuck, and the sweep leaves it alone.
        expect(await bossState(trainJob.name, run.id)).toBe("retry");
        expect(await reconcileJobRuns(testDb.db)).toEqual([]);
        expect((await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("running");
      }
    }
    expect(await bossState(trainJob.name, run.id)).toBe("failed");
    // The bug: nothing else ends this run, and it blocks every training of the project.
    expect((await queueTrainingNow(project.id, admin.id)).id).toBe(run.id);

    const ended = await reconcileJobRuns(testDb.db);
    const reason =
      "The worker stopped during this job and pg-boss gave up after 3 attempts (pg-boss: job failed by timeout in active state)";
    expect(ended).toEqual([{ id: run.id, type: trainJob.name, projectId: project.id, state: "failed", reason }]);
    const failed = await testDb.db.jobRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { logs: { orderBy: { id: "asc" } } },
    });
    expect(failed).toMatchObject({ state: "failed", error: reason, attempts: 3 });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(Math.abs(failed.finishedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(failed.logs.at(-1)).toMatchObject({ level: "error", message: `Failed: ${reason}` });

    const next = await queueTrainingNow(project.id, admin.id);
    expect(next.id).not.toBe(run.id);
    expect(next.state).toBe("queued");
    expect(await reconcileJobRuns(testDb.db)).toEqual([]);
  });

  it("ends runs whose pg-boss job was cancelled, completed unrecorded, archived or deleted — once, however many workers sweep", async () => {
    const { project } = await makeProject(testDb.db);
    const enqueue = () =>
      testDb.db.$transaction((tx) =>
        enqueueJob(tx, boss, projectStatsJob, { projectId: project.id }, { projectId: project.id }),
      );
    const q = projectStatsJob.name;

    // Completed by pg-boss without runJob recording it, then archived by pg-boss's maintenance.
    const archived = await enqueue();
    const [archivedJob] = await boss.fetch(q);
    expect(archivedJob?.id).toBe(archived.id);
    await boss.complete(q, archived.id);
    await testDb.db
      .$executeRaw`UPDATE pgboss.job SET completed_on = now() - interval '2 days' WHERE name = ${q} AND id = ${archived.id}::uuid`;
    await boss.maintain();
    expect(
      await testDb.db.$queryRaw<
        { n: bigint }[]
      >`SELECT count(*) AS n FROM pgboss.archive WHERE id = ${archived.id}::uuid`,
    ).toEqual([{ n: 1n }]);

    const running = await enqueue();
    await deliverAndDie(projectStatsJob, running.id); // still active: its lease has not expired
    const completed = await enqueue();
    await boss.fetch(q);
    await boss.complete(q, completed.id);
    const cancelled = await enqueue();
    await boss.cancel(q, cancelled.id);
    const deleted = await enqueue();
    await boss.deleteJob(q, deleted.id);
    const cancelRequested = await enqueue();
    await testDb.db.jobRun.update({
      where: { id: cancelRequested.id },
      data: { state: "running", cancelRequestedAt: new Date() },
    });
    await boss.deleteJob(q, cancelRequested.id);
    const waiting = await enqueue();
    const finished = await testDb.db.jobRun.create({ data: { type: q, state: "completed", projectId: project.id } });

    const sweeps = await Promise.all([0, 1, 2].map(() => reconcileJobRuns(testDb.db)));
    const ended = new Map(sweeps.flat().map((r) => [r.id, r]));
    expect(sweeps.flat()).toHaveLength(ended.size);
    expect(Object.fromEntries([...ended.values()].map((r) => [r.id, r.state]))).toEqual({
      [archived.id]: "failed",
      [completed.id]: "failed",
      [cancelled.id]: "cancelled",
      [deleted.id]: "failed",
      [cancelRequested.id]: "cancelled",
    });
    expect(ended.get(completed.id)?.reason).toBe(
      "pg-boss marked this job completed, but its handler never recorded an outcome",
    );
    expect(ended.get(archived.id)?.reason).toBe(
      "pg-boss marked this job completed, but its handler never recorded an outcome",
    );
    expect(ended.get(cancelled.id)?.reason).toBe("pg-boss cancelled this job before its handler finished");
    expect(ended.get(deleted.id)?.reason).toMatch(/^Its pg-boss job no longer exists/);

    const runs = await testDb.db.jobRun.findMany({ where: { projectId: project.id }, include: { logs: true } });
    const byId = new Map(runs.map((r) => [r.id, r]));
    for (const [id, { state, reason }] of ended) {
      const run = byId.get(id)!;
      expect(run).toMatchObject({ state, error: reason });
      expect(run.logs.filter((l) => l.message.endsWith(reason))).toHaveLength(1);
    }
    expect(byId.get(running.id)?.state).toBe("running");
    expect(byId.get(waiting.id)?.state).toBe("queued");
    expect(byId.get(finished.id)?.state).toBe("completed");
    expect(await reconcileJobRuns(testDb.db)).toEqual([]);
  });

  it("sweeps when a worker starts, before it takes new jobs", async () => {
    const { project } = await makeProject(testDb.db);
    // No retries: the first failure pg-boss records (here through its API, as its worker does on a timeout) is final.
    const noRetries = { ...embedJob, retryLimit: 0 };
    const stuck = await testDb.db.$transaction((tx) =>
      enqueueJob(tx, boss, noRetries, { projectId: project.id }, { projectId: project.id }),
    );
    await deliverAndDie(noRetries, stuck.id);
    await boss.fail(embedJob.name, stuck.id, new Error("handler execution exceeded 1000ms"));
    expect(await bossState(embedJob.name, stuck.id)).toBe("failed");

    const lines: string[] = [];
    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: (line) => lines.push(line),
    });
    try {
      const run = await testDb.db.jobRun.findUniqueOrThrow({ where: { id: stuck.id } });
      expect(run.state).toBe("failed");
      expect(run.error).toBe(
        "The worker stopped during this job and pg-boss gave up after 1 attempt (pg-boss: handler execution exceeded 1000ms)",
      );
      expect(lines).toContain(`[worker] job sweep: ${embedJob.name} ${stuck.id} failed: ${run.error}`);
    } finally {
      await worker.stop();
    }
  });
});
