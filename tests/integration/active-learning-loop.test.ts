import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { addItems, makeProject, makeUser, readJsonl, TEST_PASSWORD } from "../helpers/factories";
import { importText } from "../helpers/import-helpers";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// The whole loop on real data: 2,000 AG News texts, annotators answering with the dataset's labels.
let testDb: TestDatabase;
let server: ApiServer;
let worker: RunningWorker;

const rows = await readJsonl<{ text: string; label: string }>(
  path.resolve(import.meta.dirname, "../fixtures/ag-news-2000.jsonl"),
);
const goldByText = new Map(rows.map((r) => [r.text, r.label]));

beforeAll(async () => {
  ({ testDb } = await createTestDatabaseWithBoss());
  server = await startApiServer();
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

async function waitForJob(type: string, projectId: number, after: Date, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await testDb.db.jobRun.findFirst({
      where: { type, projectId, createdAt: { gte: after } },
      orderBy: { createdAt: "desc" },
    });
    if (run && (run.state === "completed" || run.state === "failed" || run.state === "cancelled")) {
      if (run.state !== "completed") throw new Error(`${type} job ${run.state}: ${run.error}`);
      return run;
    }
    if (Date.now() > deadline) throw new Error(`${type} job did not finish (last state ${run?.state ?? "none"})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the active-learning loop", () => {
  it(
    "imports, labels a seed set, trains v1, scores, labels from the queue, trains v2, compares and activates",
    { timeout: 300_000 },
    async () => {
      const admin = await makeUser(testDb.db, "admin");
      const annotator = await makeUser(testDb.db, "annotator");
      const { project, classes } = await makeProject(testDb.db, {
        name: "AG News loop",
        classes: ["World", "Sports", "Business", "Sci/Tech"],
      });
      const classIdByName = new Map(classes.map((c) => [c.name, c.id]));
      await testDb.db.project.update({
        where: { id: project.id },
        data: {
          testShare: 0.1,
          testMaxItems: 200,
          queueRandomShare: 0.4,
          queueMislabeledShare: 0,
          retrainEvery: 10_000,
        },
      });
      // The texts arrive through the importer (JSONL, unlabeled), as a team's would.
      const report = await importText(project.id, rows.map((r) => JSON.stringify({ text: r.text })).join("\n"), {
        format: "jsonl",
        mapping: { text: "text" },
      });
      expect(report).toMatchObject({ committed: true, imported: { items: 2000, labeled: 0 }, errorCount: 0 });
      expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(2000);

      const adminApi = (await signIn(server.url, admin.email, TEST_PASSWORD)).client;
      const api = (await signIn(server.url, annotator.email, TEST_PASSWORD)).client;
      // Items were drawn into the test split as they arrived (10% each, a seeded draw): about 200 of 2,000.
      const { testItems } = await adminApi.projects.freezeTestSplit.mutate({ projectId: project.id });
      expect(testItems).toBeGreaterThan(150);
      expect(testItems).toBeLessThanOrEqual(200);

      const label = async (count: number) => {
        const reasons: string[] = [];
        for (let i = 0; i < count; i++) {
          const next = await api.queue.next.mutate({ projectId: project.id });
          expect(next).not.toBeNull();
          reasons.push(next!.reason);
          const gold = classIdByName.get(goldByText.get(next!.item.text)!)!;
          await api.labels.submit.mutate({
            projectId: project.id,
            itemId: next!.item.id,
            action: "label",
            classIds: [gold],
            durationMs: 1500,
          });
        }
        return reasons;
      };

      // Seed set: no model yet, so the queue serves random items (test split first, as the test set needs labels).
      const seedReasons = await label(80);
      expect(new Set(seedReasons)).toEqual(new Set(["random"]));

      let since = new Date();
      const job = await adminApi.models.train.mutate({ projectId: project.id });
      expect((await waitForJob("train", project.id, since)).state).toBe("completed");
      expect((await waitForJob("score", project.id, since)).state).toBe("completed");
      const [v1] = await adminApi.models.list.query({ projectId: project.id });
      expect(v1).toMatchObject({ number: 1, active: true, status: "ready" });
      expect(v1!.testItems).toBeGreaterThan(10);
      expect(v1!.testMacroF1).toBeGreaterThan(0.4);
      expect(await testDb.db.prediction.count({ where: { modelVersionId: v1!.id } })).toBe(2000);
      expect(job.type).toBe("train");

      // With a model, most picks are the most uncertain train items; the random share keeps labeling the test split.
      const loopReasons = await label(100);
      expect(loopReasons.filter((r) => r === "uncertain").length).toBeGreaterThan(30);

      since = new Date();
      await adminApi.models.train.mutate({ projectId: project.id });
      expect((await waitForJob("train", project.id, since)).state).toBe("completed");
      const [v2] = await adminApi.models.list.query({ projectId: project.id });
      expect(v2).toMatchObject({ number: 2, active: true });
      expect(v2!.trainLabelCount).toBeGreaterThan(v1!.trainLabelCount);
      // Nobody opened an Overview: the labels and the trainings queued the statistics' refresh themselves.
      const stats = await waitFor(
        async () =>
          (await testDb.db.project.findUniqueOrThrow({ where: { id: project.id } })).stats as {
            fingerprint: { versions: number };
            annotations: { human: number };
          } | null,
        (s) => s?.fingerprint.versions === 2 && s.annotations.human === 180,
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(stats!.annotations.human).toBe(180);

      // Before deciding, the team labels the rest of the frozen test set: a comparison on ~70 test items swings by
      // ±0.1 macro-F1 from run to run, on all ~200 it can tell "not worse" from noise.
      const unlabeledTest = await testDb.db.item.findMany({
        where: { projectId: project.id, split: "test", labelStatus: "unlabeled" },
        select: { id: true, text: true },
      });
      for (const item of unlabeledTest) {
        await api.labels.submit.mutate({
          projectId: project.id,
          itemId: item.id,
          action: "label",
          classIds: [classIdByName.get(goldByText.get(item.text)!)!],
          durationMs: 1500,
        });
      }
      const comparison = await adminApi.models.compare.query({ a: v1!.id, b: v2!.id });
      expect(comparison.n).toBe(testItems);
      expect(comparison.perClass).toHaveLength(4);
      // One verdict rule: the sentence follows the interval of the macro-F1 difference, so they cannot disagree.
      const [lo, hi] = comparison.macroF1Diff.ci95;
      expect(comparison.verdict).toMatch(
        lo > 0
          ? /^v2 is better than v1/
          : hi < 0
            ? /^v2 is worse than v1/
            : /^No difference the test set can detect between v1 and v2/,
      );
      // Compare shows the figures the table shows for the same versions (both measure on the current test set).
      const listed = await adminApi.models.list.query({ projectId: project.id });
      expect(comparison.a.macroF1).toBe(listed.find((v) => v.id === v1!.id)!.testMacroF1);
      expect(comparison.b.macroF1).toBe(listed.find((v) => v.id === v2!.id)!.testMacroF1);
      // More labels must not make the model significantly worse: the bootstrap CI of F1(v2) − F1(v1) reaches 0 or above.
      expect(comparison.macroF1Diff!.ci95[1]).toBeGreaterThanOrEqual(0);
      for (const d of comparison.disagreements) expect(d.predictedA).not.toEqual(d.predictedB);

      // Rolling back to v1 after new texts arrived: v1 scores just the items it has not seen, so the queue ranks them.
      const arrived = await addItems(testDb.db, project.id, [
        "Late item: the central bank raised rates again",
        "Late item: a new phone chip",
        "Late item: the match went to penalties",
      ]);
      const rolledBack = new Date();
      await adminApi.models.activate.mutate({ modelVersionId: v1!.id });
      expect((await adminApi.projects.get.query({ projectId: project.id })).activeModelVersionId).toBe(v1!.id);
      const catchUp = await waitForJob("score", project.id, rolledBack);
      expect(catchUp.payload).toMatchObject({ data: { modelVersionId: v1!.id, missingOnly: true } });
      expect(catchUp.result).toMatchObject({ scored: 3 });
      expect(await testDb.db.prediction.count({ where: { modelVersionId: v1!.id, itemId: { in: arrived } } })).toBe(3);
      await adminApi.models.activate.mutate({ modelVersionId: v2!.id });
      expect((await adminApi.projects.get.query({ projectId: project.id })).activeModelVersionId).toBe(v2!.id);

      const curve = await adminApi.models.learningCurve.query({ projectId: project.id });
      expect(curve.points.map((p) => p.number)).toEqual([1, 2]);
      expect(curve.axis).toBe("human");
      expect(curve.points.map((p) => p.labels)).toEqual(curve.points.map((p) => p.humanLabels));
      expect(curve.points[1]!.labels).toBeGreaterThan(curve.points[0]!.labels);

      const playground = await api.models.classify.mutate({
        projectId: project.id,
        texts: [
          "The striker scored twice as the home team won the cup final",
          "Shares fell after the bank cut its profit forecast",
        ],
      });
      expect(playground.predictions.map((r) => r.prediction)).toEqual(["Sports", "Business"]);
      expect(Object.values(playground.predictions[0]!.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);

      const human = await testDb.db.annotation.count({ where: { projectId: project.id, origin: "human" } });
      expect(human).toBe(180 + unlabeledTest.length);
      expect(await testDb.db.auditLog.count({ where: { projectId: project.id, action: "label.create" } })).toBe(
        180 + unlabeledTest.length,
      );
    },
  );
});
