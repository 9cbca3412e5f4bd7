import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelJob } from "@/server/domain/job-runs/cancel-job";
import { requestProjectStats } from "@/server/domain/job-runs/request-project-stats";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { projectStatsJob } from "@/server/jobs/job-definitions";
import { handleProjectStats } from "@/worker/handlers/project-stats";
import { PermanentJobError } from "@/worker/job-context";
import { runJob } from "@/worker/run-job";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { makeProject, makeUser } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

let testDb: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

async function bossJob(id: string) {
  return boss.getJobById<{ jobRunId: string }>(projectStatsJob.name, id, { includeArchive: true });
}

function delivery(jobRunId: string, retryCount: number, retryLimit = 3) {
  return {
    id: jobRunId,
    name: projectStatsJob.name,
    data: { jobRunId, version: projectStatsJob.version, data: {} },
    retryCount,
    retryLimit,
  } as unknown as PgBoss.JobWithMetadata<{
    jobRunId: string;
    version: number;
    data: unknown;
  }>;
}

describe("jobs", () => {
  it("enqueues in the caller's transaction: a rollback leaves neither a job run nor a queued job", async () => {
    const { project } = await makeProject(testDb.db);
    let runId: string | undefined;
    await expect(
      testDb.db.$transaction(async (tx) => {
        const run = await enqueueJob(tx, boss, projectStatsJob, { projectId: project.id }, { projectId: project.id });
        runId = run.id;
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(runId).toBeDefined();
    expect(await testDb.db.jobRun.findUnique({ where: { id: runId! } })).toBeNull();
    expect(await bossJob(runId!)).toBeNull();
  });

  it("runs a queued job on a worker and shows its progress, log and result", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const { project, classes } = await makeProject(testDb.db, { classes: ["spam", "ham"] });
    const spam = classes[0]!;
    // No arrival draw into the test split (test share 0): the split counts below are the ones inserted.
    await testDb.db.project.update({ where: { id: project.id }, data: { testShare: 0 } });
    await testDb.db.item.createMany({
      data: [
        {
          projectId: project.id,
          text: "win money",
          contentHash: "a",
          labelStatus: "labeled",
          labelClassIds: [spam.id],
        },
        { projectId: project.id, text: "lunch?", contentHash: "b" },
        { projectId: project.id, text: "meeting at 3", contentHash: "c", split: "test" },
      ],
    });
    const run = await requestProjectStats(testDb.db, boss, project.id, admin.id);
    expect(run.state).toBe("queued");
    expect((await bossJob(run.id))?.data.jobRunId).toBe(run.id);

    const worker: RunningWorker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: () => undefined,
    });
    try {
      const done = await waitFor(
        () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id }, include: { logs: true } }),
        (r) => r.state === "completed" || r.state === "failed",
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(done.state).toBe("completed");
      expect(done.progress).toBe(1);
      expect(done.attempts).toBe(1);
      expect(done.logs.map((l) => l.message)).toEqual(["Started", "3 items, 1 labeled, 0 human labels", "Completed"]);
      const stats = (await testDb.db.project.findUniqueOrThrow({ where: { id: project.id } })).stats as Record<
        string,
        unknown
      >;
      expect(stats).toMatchObject({
        items: 3,
        byStatus: { labeled: 1, unlabeled: 2, skipped: 0 },
        bySplit: { test: 1, unassigned: 2, train: 0 },
      });
      expect(stats.perClass).toEqual([
        { classId: spam.id, name: "spam", items: 1 },
        { classId: classes[1]!.id, name: "ham", items: 0 },
      ]);
      await waitFor(
        () => bossJob(run.id),
        (j) => j?.state === "completed",
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    } finally {
      await worker.stop();
    }
  });

  it("marks a transient failure as queued for retry while retries remain, then failed, with the reason", async () => {
    const run = await testDb.db.jobRun.create({ data: { type: projectStatsJob.name, payload: {} } });
    const flaky = async () => {
      throw new Error("connection reset");
    };
    const first = {
      ...delivery(run.id, 0),
      data: { jobRunId: run.id, version: projectStatsJob.version, data: { projectId: 1 } },
    };
    await expect(runJob(testDb.db, boss, projectStatsJob, flaky, first)).rejects.toThrow("connection reset");
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "queued",
      attempts: 1,
      error: "connection reset",
    });

    await expect(runJob(testDb.db, boss, projectStatsJob, flaky, { ...first, retryCount: 3 })).rejects.toThrow();
    const failed = await testDb.db.jobRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { logs: { orderBy: { id: "asc" } } },
    });
    expect(failed).toMatchObject({ state: "failed", attempts: 4 });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(failed.logs.at(-1)?.message).toBe("Failed: connection reset");
  });

  it("fails at once, without retries, when the job's project does not exist", async () => {
    const run = await testDb.db.jobRun.create({ data: { type: projectStatsJob.name, payload: {} } });
    const missing = {
      ...delivery(run.id, 0),
      data: { jobRunId: run.id, version: projectStatsJob.version, data: { projectId: 987_654 } },
    };
    expect(await runJob(testDb.db, boss, projectStatsJob, handleProjectStats, missing)).toEqual({
      failed: "Project 987654 does not exist",
    });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "failed",
      attempts: 1,
      error: "Project 987654 does not exist",
    });
  });

  it("acknowledges a redelivered job whose run already completed without running it again", async () => {
    const { project } = await makeProject(testDb.db);
    const run = await testDb.db.jobRun.create({
      data: { type: projectStatsJob.name, payload: {}, state: "completed", projectId: project.id },
    });
    let calls = 0;
    const result = await runJob(testDb.db, boss, projectStatsJob, async () => void calls++, {
      ...delivery(run.id, 1),
      data: { jobRunId: run.id, version: 1, data: { projectId: project.id } },
    });
    expect(result).toEqual({ skipped: "already completed" });
    expect(calls).toBe(0);
  });

  it("stores a completed run's progress as done = total, whatever the handler's last checkpoint said", async () => {
    const { project } = await makeProject(testDb.db);
    const payload = { jobRunId: "", version: projectStatsJob.version, data: { projectId: project.id } };
    const counted = await testDb.db.jobRun.create({
      data: { type: projectStatsJob.name, payload: {}, projectId: project.id },
    });
    await runJob(testDb.db, boss, projectStatsJob, async (_payload, ctx) => void (await ctx.progress(96, 107)), {
      ...delivery(counted.id, 0),
      data: { ...payload, jobRunId: counted.id },
    });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: counted.id } })).toMatchObject({
      state: "completed",
      done: 107,
      total: 107,
      progress: 1,
    });

    // Without a known total there is nothing to fill in: the count stays what the handler last reported.
    const open = await testDb.db.jobRun.create({
      data: { type: projectStatsJob.name, payload: {}, projectId: project.id },
    });
    await runJob(testDb.db, boss, projectStatsJob, async (_payload, ctx) => void (await ctx.progress(12)), {
      ...delivery(open.id, 0),
      data: { ...payload, jobRunId: open.id },
    });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({
      state: "completed",
      done: 12,
      total: null,
    });

    // A failed run keeps its real count: it did not get to the end.
    const broken = await testDb.db.jobRun.create({
      data: { type: projectStatsJob.name, payload: {}, projectId: project.id },
    });
    const failing = async (_payload: unknown, ctx: { progress(done: number, total?: number): Promise<void> }) => {
      await ctx.progress(3, 10);
      throw new PermanentJobError("bad input");
    };
    await runJob(testDb.db, boss, projectStatsJob, failing, {
      ...delivery(broken.id, 0),
      data: { ...payload, jobRunId: broken.id },
    });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: broken.id } })).toMatchObject({
      state: "failed",
      done: 3,
      total: 10,
    });
  });

  it("calls afterCompleted with the payload once the run is recorded completed, and a failure there keeps the run completed", async () => {
    const { project } = await makeProject(testDb.db);
    const seen: { state: string; projectId: number }[] = [];
    const run = await testDb.db.jobRun.create({ data: { type: projectStatsJob.name, payload: {} } });
    await runJob(
      testDb.db,
      boss,
      projectStatsJob,
      async () => undefined,
      { ...delivery(run.id, 0), data: { jobRunId: run.id, version: 1, data: { projectId: project.id } } },
      {
        afterCompleted: async (payload) => {
          const { state } = await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
          seen.push({ state, projectId: payload.projectId });
          throw new Error("follow-up failed");
        },
      },
    );
    expect(seen).toEqual([{ state: "completed", projectId: project.id }]);
    expect((await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("completed");

    // A run that does not complete (here: fails) never calls it.
    const failed = await testDb.db.jobRun.create({ data: { type: projectStatsJob.name, payload: {} } });
    await runJob(
      testDb.db,
      boss,
      projectStatsJob,
      async () => {
        throw new PermanentJobError("bad input");
      },
      { ...delivery(failed.id, 0), data: { jobRunId: failed.id, version: 1, data: { projectId: project.id } } },
      { afterCompleted: async () => void seen.push({ state: "called", projectId: 0 }) },
    );
    expect(seen).toHaveLength(1);
  });

  it("rejects a payload that does not match the job's schema and never calls the handler", async () => {
    const run = await testDb.db.jobRun.create({ data: { type: projectStatsJob.name, payload: {} } });
    let calls = 0;
    const result = await runJob(testDb.db, boss, projectStatsJob, async () => void calls++, {
      ...delivery(run.id, 0),
      data: { jobRunId: run.id, version: 1, data: { projectId: "seven" } },
    });
    expect(result).toHaveProperty("failed");
    expect(calls).toBe(0);
    expect((await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("failed");
  });

  it("a worker slot that has run a job takes the next queued one at once, not after its polling interval", async () => {
    // Three short jobs, one slot, a 60 s polling interval: pg-boss alone would wait out the interval after each job
    // (the first is fetched when the worker starts), so the third would start two minutes later.
    const runs: { id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const { project } = await makeProject(testDb.db);
      runs.push(await requestProjectStats(testDb.db, boss, project.id, null));
    }
    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 60,
      log: () => undefined,
    });
    try {
      const done = await waitFor(
        () => testDb.db.jobRun.findMany({ where: { id: { in: runs.map((r) => r.id) } } }),
        (rs) => rs.every((r) => r.state === "completed"),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      expect(done).toHaveLength(3);
    } finally {
      await worker.stop();
    }
  });

  it("an idle worker hears of a job queued elsewhere when its transaction commits, not at its next poll", async () => {
    // A 60 s polling interval and a worker that has made its first fetch on an empty queue: pg-boss alone would
    // find these jobs a minute later. A rolled-back enqueue wakes nobody and leaves no job.
    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 60,
      log: () => undefined,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { project } = await makeProject(testDb.db);
      await expect(
        testDb.db.$transaction(async (tx) => {
          await enqueueJob(tx, boss, projectStatsJob, { projectId: project.id }, { projectId: project.id });
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      expect(await testDb.db.jobRun.count({ where: { projectId: project.id } })).toBe(0);
      const runs: { id: string }[] = [];
      for (let i = 0; i < 2; i++) {
        runs.push(await requestProjectStats(testDb.db, boss, project.id, null));
        await waitFor(
          () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: runs[i]!.id } }),
          (r) => r.state === "completed",
          { timeoutMs: 30_000, intervalMs: 100 },
        );
      }
    } finally {
      await worker.stop();
    }
  });

  it("cancels a queued job before any worker picks it up", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const { project } = await makeProject(testDb.db);
    const run = await requestProjectStats(testDb.db, boss, project.id, admin.id);
    const cancelled = await cancelJob(testDb.db, boss, run.id, admin.id);
    expect(cancelled.state).toBe("cancelled");
    expect((await bossJob(run.id))?.state).toBe("cancelled");
    await expect(cancelJob(testDb.db, boss, run.id, admin.id)).rejects.toThrow(/already cancelled/);
    expect(await testDb.db.auditLog.count({ where: { action: "job.cancel", entityId: run.id } })).toBe(1);
  });

  it("stops a running job at its next checkpoint when cancel is requested", async () => {
    const { project } = await makeProject(testDb.db);
    const run = await testDb.db.jobRun.create({
      data: { type: projectStatsJob.name, payload: {}, projectId: project.id },
    });
    const steps: number[] = [];
    const result = await runJob(
      testDb.db,
      boss,
      projectStatsJob,
      async (_payload, ctx) => {
        for (let step = 0; step < 5; step++) {
          await ctx.throwIfCancelled();
          steps.push(step);
          if (step === 1)
            await testDb.db.jobRun.update({ where: { id: run.id }, data: { cancelRequestedAt: new Date() } });
        }
      },
      { ...delivery(run.id, 0), data: { jobRunId: run.id, version: 1, data: { projectId: project.id } } },
    );
    expect(result).toEqual({ cancelled: true });
    expect(steps).toEqual([0, 1]);
    expect((await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("cancelled");
  });
});
