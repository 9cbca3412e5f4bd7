import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { makeProject, makeUser, readJsonl, TEST_PASSWORD } from "../helpers/factories";
import { importText } from "../helpers/import-helpers";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

// Issue 13's scenario on real AG News texts: import (some labeled), label from the queue, several retrains — the
// test split stays a random sample, every page shows the same figures with intervals, a worse retrain does not go
// live by itself, and a falling curve is never "still improving".
let testDb: TestDatabase;
let server: ApiServer;
let worker: RunningWorker;

const rows = (
  await readJsonl<{ text: string; label: string }>(path.resolve(import.meta.dirname, "../fixtures/ag-news-2000.jsonl"))
).slice(0, 900);
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

async function waitForJob(type: string, projectId: number, after: Date, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await testDb.db.jobRun.findFirst({
      where: { type, projectId, createdAt: { gte: after } },
      orderBy: { createdAt: "desc" },
    });
    if (run && (run.state === "completed" || run.state === "failed" || run.state === "cancelled")) return run;
    if (Date.now() > deadline) throw new Error(`${type} job did not finish (last state ${run?.state ?? "none"})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("honest evaluation and safe promotion", () => {
  it(
    "keeps queue-chosen labels out of the test split, agrees everywhere, refuses a worse retrain and reads a falling curve",
    { timeout: 600_000 },
    async () => {
      const admin = await makeUser(testDb.db, "admin");
      const annotator = await makeUser(testDb.db, "annotator");
      const names = ["World", "Sports", "Business", "Sci/Tech"];
      const { project, classes } = await makeProject(testDb.db, { name: "Honest evaluation", classes: names });
      const classIdByName = new Map(classes.map((c) => [c.name, c.id]));
      const gold = (text: string) => classIdByName.get(goldByText.get(text)!)!;
      await testDb.db.project.update({
        where: { id: project.id },
        data: {
          testShare: 0.15,
          testMaxItems: 500,
          testTargetItems: 80,
          queueMislabeledShare: 0,
          retrainEvery: 10_000,
        },
      });
      const adminApi = (await signIn(server.url, admin.email, TEST_PASSWORD)).client;
      const api = (await signIn(server.url, annotator.email, TEST_PASSWORD)).client;

      // 100 imported labels without a split, 800 unlabeled texts.
      const labeled = rows.slice(0, 100).map((r) => JSON.stringify({ text: r.text, label: r.label }));
      const unlabeled = rows.slice(100).map((r) => JSON.stringify({ text: r.text }));
      expect(
        await importText(project.id, labeled.join("\n"), {
          format: "jsonl",
          mapping: { text: "text", labels: "label" },
        }),
      ).toMatchObject({ committed: true });
      expect(
        await importText(project.id, unlabeled.join("\n"), { format: "jsonl", mapping: { text: "text" } }),
      ).toMatchObject({ committed: true });
      // Drawn at arrival: unlabeled items only, about 15% of them; no labeled item was drawn.
      const drawn = await testDb.db.item.count({ where: { projectId: project.id, split: "test" } });
      expect(drawn).toBeGreaterThan(80);
      expect(drawn).toBeLessThan(170);
      expect(
        await testDb.db.item.count({ where: { projectId: project.id, split: "test", labelStatus: "labeled" } }),
      ).toBe(0);

      const train = async (expectState: "completed" | "failed" = "completed") => {
        const since = new Date();
        await adminApi.models.train.mutate({ projectId: project.id });
        const run = await waitForJob("train", project.id, since);
        expect(run.state, run.error ?? "").toBe(expectState);
        if (expectState === "completed") expect((await waitForJob("score", project.id, since)).state).toBe("completed");
        return run;
      };
      const label = async (count: number) => {
        const picked: { id: number; reason: string }[] = [];
        for (let i = 0; i < count; i++) {
          const next = (await api.queue.next.mutate({ projectId: project.id }))!;
          picked.push({ id: next.item.id, reason: next.reason });
          await api.labels.submit.mutate({
            projectId: project.id,
            itemId: next.item.id,
            action: "label",
            classIds: [gold(next.item.text)],
            durationMs: 900,
          });
        }
        return picked;
      };

      // v1 from the imported labels; a stratified seeded 15% of them joins the test split.
      await train();
      const importedInTest = await testDb.db.item.count({
        where: { projectId: project.id, split: "test", labelOrigin: "imported" },
      });
      expect(importedInTest).toBeGreaterThanOrEqual(12);
      expect(importedInTest).toBeLessThanOrEqual(18);

      // Until the test set reaches its target the random share (test items first) is boosted: random picks are test items.
      await testDb.db.project.update({ where: { id: project.id }, data: { queueRandomShare: 0, testBoostShare: 0.5 } });
      const early = await label(40);
      const randomPicks = early.filter((p) => p.reason === "random");
      expect(randomPicks.length).toBeGreaterThan(8);
      const earlySplits = await testDb.db.item.findMany({
        where: { id: { in: randomPicks.map((p) => p.id) } },
        select: { split: true },
      });
      expect(earlySplits.every((i) => i.split === "test")).toBe(true);

      // Uncertainty only: none of these labels may ever become test items, through any number of retrains.
      await testDb.db.project.update({ where: { id: project.id }, data: { testBoostShare: 0 } });
      const uncertain = (await label(60)).concat(early.filter((p) => p.reason === "uncertain"));
      expect(uncertain.length).toBeGreaterThan(60);
      await train();

      // The team labels the rest of the test split (test items are only ever labeled as themselves).
      const unlabeledTest = await testDb.db.item.findMany({
        where: { projectId: project.id, split: "test", labelStatus: "unlabeled" },
        select: { id: true, text: true },
      });
      for (const item of unlabeledTest)
        await api.labels.submit.mutate({
          projectId: project.id,
          itemId: item.id,
          action: "label",
          classIds: [gold(item.text)],
          durationMs: 900,
        });
      await train();
      const splits = await testDb.db.item.findMany({
        where: { id: { in: uncertain.map((p) => p.id) } },
        select: { split: true },
      });
      expect(splits.every((i) => i.split === "train")).toBe(true);

      // Every page shows the same figures for every version, with intervals, on the same test items.
      const check = async () => {
        const listed = await adminApi.models.list.query({ projectId: project.id });
        const curve = await adminApi.models.learningCurve.query({ projectId: project.id });
        const testN = curve.testSet.n;
        expect(testN).toBeGreaterThanOrEqual(80);
        for (const v of listed.filter((x) => x.status === "ready")) {
          expect(v.testItems).toBe(testN);
          expect(v.testMacroF1Ci![0]).toBeLessThanOrEqual(v.testMacroF1!);
          expect(v.testMacroF1Ci![1]).toBeGreaterThanOrEqual(v.testMacroF1!);
          expect(v.testAccuracyCi![0]).toBeLessThan(v.testAccuracyCi![1]);
          const detail = await adminApi.models.get.query({ modelVersionId: v.id });
          expect(detail.metrics!.test!.macroF1).toBe(v.testMacroF1);
          expect(detail.metrics!.test!.accuracy).toBe(v.testAccuracy);
          expect(detail.metrics!.test!.n).toBe(testN);
          expect(detail.metrics!.test!.perClass.every((c) => c.recallCi && c.precisionCi)).toBe(true);
          expect(curve.points.find((p) => p.versionId === v.id)!.macroF1).toBe(v.testMacroF1);
        }
        const ready = listed.filter((x) => x.status === "ready");
        for (let i = 1; i < ready.length; i++) {
          const c = await adminApi.models.compare.query({ a: ready[i]!.id, b: ready[i - 1]!.id });
          expect(c.a.macroF1).toBe(ready[i]!.testMacroF1);
          expect(c.b.macroF1).toBe(ready[i - 1]!.testMacroF1);
          expect(c.n).toBe(testN);
          const [lo, hi] = c.macroF1Diff.ci95;
          expect(c.outcome).toBe(lo > 0 ? "better" : hi < 0 ? "worse" : "no-difference");
        }
        return { listed, curve };
      };
      const before = await check();
      expect(before.listed.map((v) => v.number)).toEqual([3, 2, 1]);
      const v3 = before.listed[0]!;
      expect(v3.active).toBe(true);

      // A retrain made worse on purpose: every training label rotated to the next class. Under "when not worse" it
      // stays inactive with its reason; the stopping signal on the falling curve is not "still improving".
      const trainLabeled = await testDb.db.item.findMany({
        where: { projectId: project.id, split: "train", labelStatus: "labeled" },
        select: { id: true, labelClassIds: true },
      });
      for (const item of trainLabeled) {
        const k = classes.findIndex((c) => c.id === item.labelClassIds[0]);
        await api.labels.submit.mutate({
          projectId: project.id,
          itemId: item.id,
          action: "label",
          classIds: [classes[(k + 1) % classes.length]!.id],
          durationMs: 900,
        });
      }
      await train();
      const afterWorse = await check();
      const v4 = afterWorse.listed[0]!;
      expect(v4.number).toBe(4);
      expect(v4.active).toBe(false);
      expect(v4.promotionNote).toMatch(/^Not activated: worse than the active v3 beyond noise/);
      expect((await adminApi.projects.get.query({ projectId: project.id })).activeModelVersionId).toBe(v3.id);
      expect(afterWorse.curve.signal.state).not.toBe("improving");
      expect(afterWorse.curve.signal.message).toMatch(/v4 vs v3: −\d/);

      // Under "always" the same kind of retrain goes live.
      await adminApi.projects.update.mutate({ projectId: project.id, data: { promotion: "always" } });
      await train();
      const afterAlways = await check();
      expect(afterAlways.listed[0]).toMatchObject({ number: 5, active: true, promotionNote: null });
      expect(afterAlways.curve.signal.state).not.toBe("improving");
    },
  );

  it(
    "refuses to train below the minimum labels per class, naming the short classes",
    { timeout: 120_000 },
    async () => {
      const admin = await makeUser(testDb.db, "admin");
      const { project, classes } = await makeProject(testDb.db, { name: "Too few", classes: ["World", "Sports"] });
      const adminApi = (await signIn(server.url, admin.email, TEST_PASSWORD)).client;
      const lines = [
        rows.find((r) => r.label === "World")!,
        rows.find((r) => r.label === "Sports")!,
        ...rows.filter((r) => r.label === "World").slice(1, 3),
      ];
      await importText(
        project.id,
        lines.map((r) => JSON.stringify({ text: r.text, label: r.label, split: "train" })).join("\n"),
        { format: "jsonl", mapping: { text: "text", labels: "label", split: "split" } },
      );
      const since = new Date();
      await adminApi.models.train.mutate({ projectId: project.id });
      const run = await waitForJob("train", project.id, since);
      expect(run.state).toBe("failed");
      expect(run.error).toContain("at least 2 labels of every class");
      expect(run.error).toContain("Sports 1");
      expect(await testDb.db.modelVersion.count({ where: { projectId: project.id } })).toBe(0);
      expect(classes).toHaveLength(2);
    },
  );
});
