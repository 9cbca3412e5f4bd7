import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyTexts } from "@/server/domain/classify/classify-texts";
import { createZeroShotVersion } from "@/server/domain/llm/create-zero-shot-version";
import { activateModelVersion } from "@/server/domain/models/activate-model-version";
import { compareModelVersions } from "@/server/domain/models/compare-model-versions";
import { nextItem } from "@/server/domain/queue/next-item";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { addItems, makeUser } from "../helpers/factories";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeLlmProject } from "../helpers/llm-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";
import type PgBoss from "pg-boss";

// Each zero-shot prediction costs LLM calls: an active zero-shot version ranks a sample of this many items.
process.env.ZERO_SHOT_SCORE_ITEMS = "5";

let testDb: TestDatabase;
let boss: PgBoss;
let server: FakeOpenAIServer;
let worker: RunningWorker;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ delayMs: 5 });
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

async function finishedScoring(projectId: number, modelVersionId: number) {
  const run = await waitFor(
    () =>
      testDb.db.jobRun.findFirst({
        where: { projectId, type: "score", state: { in: ["completed", "failed"] } },
        orderBy: { createdAt: "desc" },
      }),
    (r) => r !== null && (r.payload as { data: { modelVersionId: number } }).data.modelVersionId === modelVersionId,
  );
  if (run!.state === "failed") throw new Error(`score failed: ${run!.error}`);
  return run!;
}

describe("an active zero-shot version", () => {
  it("ranks a sample of the pool, so the queue serves its pre-labels, and answers the classification API", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const pool = await addItems(testDb.db, project.id, [
      "meow",
      "woof woof",
      "a purring kitten",
      "the dog fetched a stick",
      "my cat sleeps",
      "barking all night",
      "whiskers and a tail",
      "a loyal hound",
    ]);
    // A labeled item and a test item are never part of the sample.
    await testDb.db.item.update({
      where: { id: pool[0]! },
      data: { labelStatus: "labeled", labelClassIds: [classes[0]!.id], labelOrigin: "imported", labeledAt: new Date() },
    });
    await testDb.db.item.update({ where: { id: pool[1]! }, data: { split: "test" } });
    const admin = await makeUser(testDb.db, "admin");
    const version = await createZeroShotVersion(testDb.db, project.id, admin.id);

    await activateModelVersion(testDb.db, boss, version.id, admin.id);
    const run = await finishedScoring(project.id, version.id);
    expect(run.result).toEqual({ scored: 5 });
    const predictions = await testDb.db.prediction.findMany({ where: { modelVersionId: version.id } });
    expect(predictions).toHaveLength(5);
    const scoredItems = await testDb.db.item.findMany({ where: { id: { in: predictions.map((p) => p.itemId) } } });
    for (const p of predictions) {
      const item = scoredItems.find((i) => i.id === p.itemId)!;
      expect([item.labelStatus, item.split]).toEqual(["unlabeled", "unassigned"]);
      expect(p.predictedClassIds).toHaveLength(1);
      expect(p.uncertainty).toBeGreaterThanOrEqual(0);
    }

    const annotator = await makeUser(testDb.db, "annotator");
    await testDb.db.project.update({
      where: { id: project.id },
      data: { queueRandomShare: 0, testBoostShare: 0, queueMislabeledShare: 0 },
    });
    const next = await nextItem(testDb.db, { projectId: project.id }, annotator.id);
    expect(next!.reason).toBe("uncertain");
    expect(next!.prediction).toMatchObject({ modelVersionId: version.id, versionNumber: version.number });
    const best = [...predictions].sort((a, b) => b.priority - a.priority || a.itemId - b.itemId)[0]!;
    expect(next!.item.id).toBe(best.itemId);

    const api = await classifyTexts(testDb.db, {
      projectId: project.id,
      texts: ["my cat purrs while grooming", "loud barking at the mailman"],
    });
    expect(api.model.version).toBe(version.number);
    expect(api.classes).toEqual(classes.map((c) => c.name));
    expect(api.predictions.map((p) => p.prediction)).toEqual(["cat", "dog"]);

    // Activating it again scores nothing new: the sample is complete (and LLM answers are cached anyway).
    const requests = server.requests.length;
    const again = new Date();
    await activateModelVersion(testDb.db, boss, version.id, admin.id);
    const rerun = await waitFor(
      () =>
        testDb.db.jobRun.findFirst({
          where: {
            projectId: project.id,
            type: "score",
            createdAt: { gte: again },
            state: { in: ["completed", "failed"] },
          },
        }),
      (r) => r !== null,
    );
    expect([rerun!.state, rerun!.result]).toEqual(["completed", { scored: 0 }]);
    expect(server.requests.length).toBe(requests);
  });
});

describe("A/B of multi-label versions", () => {
  it("reports the bootstrap interval of the macro-F1 difference", async () => {
    const classes = [
      { name: "sports", description: "football matches, goals and players" },
      { name: "weather", description: "rain, storms and sunshine" },
    ];
    const { project, classes: made } = await makeLlmProject(testDb.db, server.url, { classes, taskType: "multilabel" });
    const ids = await addItems(testDb.db, project.id, [
      "rain stopped the football match",
      "sunshine all week",
      "a late goal won it",
    ]);
    const gold = [[made[0]!.id, made[1]!.id], [made[1]!.id], [made[0]!.id]];
    for (const [i, id] of ids.entries()) {
      await testDb.db.item.update({
        where: { id: id! },
        data: {
          split: "test",
          labelStatus: "labeled",
          labelClassIds: gold[i]!,
          labelOrigin: "imported",
          labeledAt: new Date(),
        },
      });
    }
    const v1 = await createZeroShotVersion(testDb.db, project.id, null);
    const v2 = await createZeroShotVersion(testDb.db, project.id, null);
    const comparison = await compareModelVersions(testDb.db, { a: v1.id, b: v2.id });
    expect(comparison.n).toBe(3);
    // Same model and prompts: the same answers, so no difference on any resample.
    expect(comparison.macroF1Diff).toEqual({ estimate: 0, ci95: [0, 0], resamples: 1000 });
  });
});
