import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileJobRuns } from "@/server/domain/job-runs/reconcile-job-runs";
import { renewJobHeartbeat } from "@/server/domain/job-runs/renew-job-heartbeat";
import { requeueStaleJobRuns } from "@/server/domain/job-runs/requeue-stale-job-runs";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { projectStatsJob } from "@/server/jobs/job-definitions";
import { runJob } from "@/worker/run-job";
import { makeProject } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// Liveness by heartbeat: one live execution per run, and a run whose worker stopped beating is retried by the
// sweep without waiting for pg-boss's expiry.
let testDb: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

type Envelope = { jobRunId: string; version: number; data: unknown; checkBack?: boolean; outages?: number };

async function queued() {
  const { project } = await makeProject(testDb.db);
  return testDb.db.$transaction((tx) =>
    enqueueJob(tx, boss, projectStatsJob, { projectId: project.id }, { projectId: project.id }),
  );
}

async function deliver(id: string) {
  const [job] = await boss.fetch<Envelope>(projectStatsJob.name, { includeMetadata: true, ignoreStartAfter: true });
  expect(job?.id).toBe(id);
  return job!;
}

const bossJob = async (id: string) =>
  (
    await testDb.db.$queryRaw<{ state: string; deliverable: boolean }[]>`
    SELECT state::text AS state, start_after <= now() AS deliverable FROM pgboss.job WHERE name = ${projectStatsJob.name} AND id = ${id}::uuid`
  )[0];

describe("job liveness", () => {
  it("leaves a run to the execution whose heartbeat is fresh: a second delivery neither runs the handler nor fails the run", async () => {
    const run = await queued();
    const job = await deliver(run.id);
    let release!: () => void;
    let calls = 0;
    const slow = async () => {
      calls++;
      await new Promise<void>((resolve) => (release = resolve));
      return { ok: true };
    };
    const first = runJob(testDb.db, boss, projectStatsJob, slow, job, { heartbeatSeconds: 0.2, staleSeconds: 60 });
    const held = await waitFor(
      () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
      (r) => r.state === "running" && calls === 1,
      { intervalMs: 20 },
    );

    // pg-boss hands the same job out again (as after a handler timeout) while the first execution is alive.
    const second = await runJob(
      testDb.db,
      boss,
      projectStatsJob,
      slow,
      { ...job, retryCount: 1 },
      { heartbeatSeconds: 0.2, staleSeconds: 60 },
    );
    expect(second).toEqual({ deferred: "another worker is running this job" });
    expect(calls).toBe(1);
    const during = await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(during).toMatchObject({ state: "running", executionId: held.executionId, attempts: 1, error: null });
    // The job is back on the queue for later (in case the live execution dies), not failed.
    expect(await bossJob(run.id)).toEqual({ state: "created", deliverable: false });

    release();
    expect(await first).toEqual({ ok: true });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "completed",
      executionId: null,
    });
    // The deferred delivery comes back, finds the run finished and does nothing.
    const later = await deliver(run.id);
    expect(await runJob(testDb.db, boss, projectStatsJob, slow, later)).toEqual({ skipped: "already completed" });
    expect(calls).toBe(1);
    const logs = await testDb.db.jobLog.findMany({ where: { jobRunId: run.id }, orderBy: { id: "asc" } });
    expect(logs.map((l) => l.message)).toEqual(["Started", "Completed"]);
  });

  it("re-queues a run whose heartbeat went stale for immediate retry, and the stalled execution can no longer renew it", async () => {
    const run = await queued();
    const job = await deliver(run.id);
    // A worker that dies (or stalls) after claiming the run: no heartbeat after the claim.
    void runJob(testDb.db, boss, projectStatsJob, () => new Promise<never>(() => undefined), job, {
      heartbeatSeconds: 3600,
      staleSeconds: 60,
    });
    const dead = await waitFor(
      () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
      (r) => r.state === "running",
      { intervalMs: 20 },
    );

    // Fresh: the sweep leaves it alone.
    expect(await requeueStaleJobRuns(testDb.db, boss, 60)).toEqual([]);
    // 61 s later, as far as the database can tell.
    await testDb.db
      .$executeRaw`UPDATE job_run SET heartbeat_at = heartbeat_at - interval '61 seconds' WHERE id = ${run.id}::uuid`;
    await testDb.db
      .$executeRaw`UPDATE pgboss.job SET started_on = started_on - interval '61 seconds' WHERE id = ${run.id}::uuid`;

    const requeued = await Promise.all([0, 1, 2].map(() => requeueStaleJobRuns(testDb.db, boss, 60)));
    const reason = "The worker running this job stopped (no heartbeat for 60 s)";
    expect(requeued.flat()).toEqual([
      { id: run.id, type: projectStatsJob.name, projectId: run.projectId, state: "queued", reason },
    ]);
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "queued",
      error: reason,
      executionId: null,
      heartbeatAt: null,
    });
    // Deliverable now: a dead worker is no transient error worth pg-boss's retry delay.
    expect(await bossJob(run.id)).toEqual({ state: "retry", deliverable: true });
    expect(await renewJobHeartbeat(testDb.db, run.id, dead.executionId!)).toBe(false);

    const retry = await deliver(run.id);
    expect(retry.retryCount).toBe(1);
    expect(
      await runJob(testDb.db, boss, projectStatsJob, async () => ({ retried: true }), retry, {
        heartbeatSeconds: 0.2,
        staleSeconds: 60,
      }),
    ).toEqual({ retried: true });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "completed",
      attempts: 2,
    });
    const logs = await testDb.db.jobLog.findMany({ where: { jobRunId: run.id }, orderBy: { id: "asc" } });
    expect(logs.map((l) => l.message)).toEqual([
      "Started",
      `Failed: ${reason} — will retry`,
      "Started (attempt 2)",
      "Completed",
    ]);
  });

  it("does not end a run whose execution still beats, whatever pg-boss did with its job", async () => {
    const run = await queued();
    const job = await deliver(run.id);
    let release!: () => void;
    const pending = runJob(
      testDb.db,
      boss,
      projectStatsJob,
      () => new Promise<void>((resolve) => (release = resolve)),
      job,
      { heartbeatSeconds: 0.2, staleSeconds: 60 },
    );
    await waitFor(
      () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
      (r) => r.state === "running",
      { intervalMs: 20 },
    );
    await boss.fail(projectStatsJob.name, run.id, new Error("handler execution exceeded 600000ms"));
    await testDb.db.$executeRaw`UPDATE pgboss.job SET state = 'failed' WHERE id = ${run.id}::uuid`;
    expect(await reconcileJobRuns(testDb.db, { staleSeconds: 60 })).toEqual([]);
    release();
    await pending;
    expect((await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).state).toBe("completed");
  });

  it("puts a job the database went away under back on the queue without using up a retry, even on its last attempt", async () => {
    const run = await queued();
    const job = await deliver(run.id);
    const lastAttempt = { ...job, retryCount: job.retryLimit };
    const outage = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const result = await runJob(testDb.db, boss, projectStatsJob, async () => Promise.reject(outage), lastAttempt, {
      heartbeatSeconds: 0.2,
      staleSeconds: 60,
    });
    expect(result).toEqual({ interrupted: "terminating connection due to administrator command" });
    expect(await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      state: "queued",
      executionId: null,
      heartbeatAt: null,
    });
    // Back on the queue after the job's retry delay, with a fresh retry budget and the outage counted.
    expect(await bossJob(run.id)).toEqual({ state: "created", deliverable: false });
    const again = await deliver(run.id);
    expect(again.retryCount).toBe(0);
    expect(again.data.outages).toBe(1);
    expect(
      await runJob(testDb.db, boss, projectStatsJob, async () => ({ ok: true }), again, {
        heartbeatSeconds: 0.2,
        staleSeconds: 60,
      }),
    ).toEqual({ ok: true });
    const logs = await testDb.db.jobLog.findMany({ where: { jobRunId: run.id }, orderBy: { id: "asc" } });
    expect(logs.map((l) => l.message)).toEqual([
      `Started (attempt ${job.retryLimit + 1})`,
      `Interrupted: the database was unavailable (terminating connection due to administrator command) — will retry in ${projectStatsJob.retryDelaySeconds} s`,
      `Started (attempt ${job.retryLimit + 2})`,
      "Completed",
    ]);
  });
});
