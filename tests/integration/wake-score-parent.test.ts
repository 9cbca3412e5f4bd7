import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wakeScoreParent } from "@/server/domain/scoring/wake-score-parent";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { scoreChunkJob, scoreJob } from "@/server/jobs/job-definitions";
import { resendJob } from "@/server/jobs/resend-job";
import { makeProject } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

describe("wakeScoreParent", () => {
  it("puts a waiting parent back to run now once its last chunk has completed, and only then", async () => {
    const { project } = await makeProject(testDb.db);
    const parent = await testDb.db.$transaction((tx) =>
      enqueueJob(tx, boss, scoreJob, { projectId: project.id, modelVersionId: 1 }, { projectId: project.id }),
    );
    // The parent checked its chunks and asked to look again in a minute (a CheckBack re-queue).
    const queued = (await boss.getJobById<object>(scoreJob.name, parent.id))!;
    await resendJob(testDb.db, boss, scoreJob, { id: parent.id, data: { ...queued.data, checkBack: true } }, 60);
    const chunks = [];
    for (const [fromId, toId] of [
      [1, 10],
      [11, 20],
    ])
      chunks.push(
        await testDb.db.$transaction((tx) =>
          enqueueJob(
            tx,
            boss,
            scoreChunkJob,
            { projectId: project.id, modelVersionId: 1, fromId: fromId!, toId: toId!, parentJobRunId: parent.id },
            { projectId: project.id },
          ),
        ),
      );
    const startAfter = async () => (await boss.getJobById(scoreJob.name, parent.id))!.startAfter.getTime();
    const later = Date.now() + 30_000;

    await testDb.db.jobRun.update({ where: { id: chunks[0]!.id }, data: { state: "completed" } });
    expect(await wakeScoreParent(testDb.db, boss, parent.id)).toBe(false);
    expect(await startAfter()).toBeGreaterThan(later);

    await testDb.db.jobRun.update({ where: { id: chunks[1]!.id }, data: { state: "completed" } });
    expect(await wakeScoreParent(testDb.db, boss, parent.id)).toBe(true);
    expect(await startAfter()).toBeLessThan(later);
    const woken = (await boss.getJobById<{ jobRunId: string; checkBack?: boolean }>(scoreJob.name, parent.id))!;
    expect(woken.data).toMatchObject({ jobRunId: parent.id, checkBack: true });

    // A parent being run right now (fetched: active) is left to finish or look again by itself.
    await resendJob(testDb.db, boss, scoreJob, { id: parent.id, data: woken.data }, 0);
    const [fetched] = await boss.fetch(scoreJob.name);
    expect(fetched?.id).toBe(parent.id);
    expect(await wakeScoreParent(testDb.db, boss, parent.id)).toBe(false);
    expect((await boss.getJobById(scoreJob.name, parent.id))!.state).toBe("active");
  });
});
