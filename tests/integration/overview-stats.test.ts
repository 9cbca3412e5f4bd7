import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitLabel } from "@/server/domain/labels/submit-label";
import { ensureFreshStats } from "@/server/domain/stats/ensure-fresh-stats";
import { LABEL_STATS_DELAY_SECONDS, LABEL_STATS_MAX_DELAY_SECONDS } from "@/server/domain/stats/label-stats-delay";
import { projectStatsJob } from "@/server/jobs/job-definitions";
import { startWorker } from "@/worker/start-worker";
import { addItems, makeProject, makeUser } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

let testDb: TestDatabase;
let boss: PgBoss;
beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(() => testDb.drop());

/** A project with two classes and `texts` as items, and a function that labels one of them as an annotator would. */
async function labelingProject(texts: string[]) {
  const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
  const annotator = await makeUser(testDb.db);
  const ids = await addItems(testDb.db, project.id, texts);
  const label = (itemId: number) =>
    submitLabel(
      testDb.db,
      boss,
      { projectId: project.id, itemId, action: "label", classIds: [classes[0]!.id] },
      annotator.id,
    );
  return { project, ids, label };
}

describe("stats.ensureFresh (the Overview keeps itself current)", () => {
  it("queues one stats job when items or labels changed, absorbs further changes while it waits, and is quiet when current", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const projectId = project.id;
    const statsRuns = () => testDb.db.jobRun.count({ where: { projectId, type: projectStatsJob.name } });
    // Never computed: stale.
    const first = await ensureFreshStats(testDb.db, boss, { projectId });
    expect(first.state).toBe("queued");
    // An import and a label while that job waits: no second job (the debounce).
    const ids = await addItems(testDb.db, projectId, ["one", "two", "three"]);
    await testDb.db.item.update({
      where: { id: ids[0]! },
      data: { labelStatus: "labeled", labelClassIds: [classes[0]!.id] },
    });
    await testDb.db.annotation.create({
      data: { projectId, itemId: ids[0]!, classIds: [classes[0]!.id], origin: "human" },
    });
    expect(
      (
        await Promise.all([
          ensureFreshStats(testDb.db, boss, { projectId }),
          ensureFreshStats(testDb.db, boss, { projectId }),
        ])
      ).map((r) => r.state),
    ).toEqual(["pending", "pending"]);
    expect(await statsRuns()).toBe(1);

    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: () => undefined,
    });
    try {
      await waitFor(
        () => testDb.db.jobRun.findFirstOrThrow({ where: { projectId, type: projectStatsJob.name } }),
        (r) => r.state === "completed",
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      // The job counted everything that happened before it ran.
      const stats = (await testDb.db.project.findUniqueOrThrow({ where: { id: projectId } })).stats as {
        items: number;
        byStatus: { labeled: number };
      };
      expect(stats).toMatchObject({ items: 3, byStatus: { labeled: 1 } });
      // "Fresh" names the statistics it means, so a page showing older ones (it missed the job between polls) reloads.
      expect(await ensureFreshStats(testDb.db, boss, { projectId })).toEqual({
        state: "fresh",
        computedAt: (stats as unknown as { computedAt: string }).computedAt,
      });
      expect(await statsRuns()).toBe(1);

      // An undo is a change too.
      await testDb.db.annotation.updateMany({ where: { projectId }, data: { undoneAt: new Date() } });
      expect((await ensureFreshStats(testDb.db, boss, { projectId })).state).toBe("queued");
      expect(await statsRuns()).toBe(2);
    } finally {
      await worker.stop();
    }
  });
  it("labels queue the refresh themselves, delayed so that a burst of labels shares one job, and never two at once", async () => {
    const { project, ids, label } = await labelingProject(["one", "two", "three", "four"]);
    await label(ids[0]!);
    // Concurrent labels by several annotators: the lock and the re-check leave one waiting job.
    await Promise.all([label(ids[1]!), label(ids[2]!), label(ids[3]!)]);
    const runs = await testDb.db.jobRun.findMany({ where: { projectId: project.id, type: projectStatsJob.name } });
    expect(runs.map((r) => r.state)).toEqual(["queued"]);
    const job = await boss.getJobById(projectStatsJob.name, runs[0]!.id);
    expect(job!.startAfter.getTime() - job!.createdOn.getTime()).toBeGreaterThanOrEqual(
      (LABEL_STATS_DELAY_SECONDS - 1) * 1000,
    );
  });
  it("paces the label-queued refresh by the last run's length, so a slow scan runs at most 5% of the time", async () => {
    const { project, ids, label } = await labelingProject(["one", "two", "three"]);
    const delayOfQueuedJob = async () => {
      const run = await testDb.db.jobRun.findFirstOrThrow({
        where: { projectId: project.id, type: projectStatsJob.name, state: "queued" },
      });
      const job = await boss.getJobById(projectStatsJob.name, run.id);
      // The queued run is settled here so that the next label queues a fresh one.
      await testDb.db.jobRun.update({ where: { id: run.id }, data: { state: "cancelled" } });
      return (job!.startAfter.getTime() - job!.createdOn.getTime()) / 1000;
    };
    const lastRunTook = (seconds: number) =>
      testDb.db.jobRun.create({
        data: {
          projectId: project.id,
          type: projectStatsJob.name,
          state: "completed",
          startedAt: new Date(Date.now() - seconds * 1000),
          finishedAt: new Date(),
        },
      });
    // A quick last run: the 10 s debounce.
    await lastRunTook(0.2);
    await label(ids[0]!);
    const quick = await delayOfQueuedJob();
    expect(quick).toBeGreaterThanOrEqual(LABEL_STATS_DELAY_SECONDS - 1);
    expect(quick).toBeLessThan(LABEL_STATS_DELAY_SECONDS + 5);
    // A 3 s scan waits 19 × 3 s = 57 s, so it takes at most 5% of the time.
    await lastRunTook(3);
    await label(ids[1]!);
    const paced = await delayOfQueuedJob();
    expect(paced).toBeGreaterThanOrEqual(56);
    expect(paced).toBeLessThan(62);
    // A very slow one is capped: the Overview's figures never lag by more than the cap.
    await lastRunTook(60);
    await label(ids[2]!);
    const capped = await delayOfQueuedJob();
    expect(capped).toBeGreaterThanOrEqual(LABEL_STATS_MAX_DELAY_SECONDS - 1);
    expect(capped).toBeLessThan(LABEL_STATS_MAX_DELAY_SECONDS + 5);
  });
});
