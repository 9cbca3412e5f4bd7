import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZeroShotVersion } from "@/server/domain/llm/create-zero-shot-version";
import { submitLabel } from "@/server/domain/labels/submit-label";
import { activateModelVersion } from "@/server/domain/models/activate-model-version";
import { nextItem } from "@/server/domain/queue/next-item";
import { freezeTestSplit } from "@/server/domain/splits/freeze-test-split";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { addItems, makeUser } from "../helpers/factories";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeLlmProject } from "../helpers/llm-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// The case: a zero-shot version is active before the first training, so the uncertainty queue picks the
// zero-shot model's hardest items. Those labels must never become test items (they measured it at 69% against 90%).
process.env.ZERO_SHOT_SCORE_ITEMS = "12";

let testDb: TestDatabase;
let boss: PgBoss;
let server: FakeOpenAIServer;
let worker: RunningWorker;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ delayMs: 2 });
  ({ testDb, boss } = await createTestDatabaseWithBoss());
  worker = await startWorker({
    db: testDb.db,
    connectionString: testDb.url,
    concurrency: 1,
    pollingSeconds: 0.5,
    log: () => undefined,
  });
});
afterAll(async () => {
  await worker.stop();
  await server.close();
  await testDb.drop();
});

describe("labels chosen by a zero-shot version's uncertainty", () => {
  it("never enter the test split, which was drawn when the items arrived", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const texts = Array.from({ length: 40 }, (_, i) =>
      i % 2 ? `a purring kitten number ${i}` : `the dog barked at stick ${i}`,
    );
    await addItems(testDb.db, project.id, texts);
    const drawnAtArrival = await testDb.db.item.findMany({
      where: { projectId: project.id, split: "test" },
      select: { id: true },
    });
    expect(drawnAtArrival.length).toBeGreaterThan(0);

    const admin = await makeUser(testDb.db, "admin");
    const version = await createZeroShotVersion(testDb.db, project.id, admin.id);
    await activateModelVersion(testDb.db, boss, version.id, admin.id);
    await waitFor(
      () => testDb.db.jobRun.findFirst({ where: { projectId: project.id, type: "score", state: "completed" } }),
      (r) => r !== null,
    );
    await testDb.db.project.update({
      where: { id: project.id },
      data: { queueRandomShare: 0, testBoostShare: 0, queueMislabeledShare: 0 },
    });
    const annotator = await makeUser(testDb.db, "annotator");
    const chosen: number[] = [];
    for (;;) {
      const next = await nextItem(testDb.db, { projectId: project.id }, annotator.id);
      if (!next || next.reason !== "uncertain") break;
      chosen.push(next.item.id);
      await submitLabel(
        testDb.db,
        boss,
        { projectId: project.id, itemId: next.item.id, action: "label", classIds: [classes[0]!.id] },
        annotator.id,
      );
    }
    // Every scored item outside the test split was served by uncertainty, none from the test split.
    expect(chosen.length).toBeGreaterThan(5);
    expect(chosen.filter((id) => drawnAtArrival.some((t) => t.id === id))).toEqual([]);

    // The split as training fixes it (the same assignment): the queue's labels join the train split.
    await freezeTestSplit(testDb.db, project.id, admin.id);
    const splits = await testDb.db.item.findMany({ where: { id: { in: chosen } }, select: { split: true } });
    expect(splits.map((s) => s.split)).toEqual(chosen.map(() => "train"));
    const test = await testDb.db.item.findMany({
      where: { projectId: project.id, split: "test" },
      select: { id: true },
    });
    expect(test.map((t) => t.id).sort()).toEqual(drawnAtArrival.map((t) => t.id).sort());
  });
});
