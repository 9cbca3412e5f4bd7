import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getModelVersion } from "@/server/domain/models/get-model-version";
import { listModelVersions } from "@/server/domain/models/list-model-versions";
import { trainModelVersion } from "@/server/domain/training/train-model-version";
import { addItems, makeProject, readJsonl } from "../helpers/factories";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

// What the model pages draw (versions table, confusion matrix, PR curves, reliability diagram) from a real training.
let testDb: TestDatabase;
let boss: PgBoss;

const rows = (
  await readJsonl<{ text: string; label: string }>(path.resolve(import.meta.dirname, "../fixtures/ag-news-2000.jsonl"))
).slice(0, 400);
const hooks = { log: async () => undefined, progress: async () => undefined, throwIfCancelled: async () => undefined };

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

describe("model version pages' data", () => {
  it("lists log-loss and ECE, and a version carries a confusion matrix, PR curves and calibration bins without its params", async () => {
    const names = ["World", "Sports", "Business", "Sci/Tech"];
    const { project, classes } = await makeProject(testDb.db, { classes: names });
    const classId = new Map(classes.map((c) => [c.name, c.id]));
    const ids = await addItems(
      testDb.db,
      project.id,
      rows.map((r) => r.text),
    );
    // 200 imported labels: part of them lands in the frozen test split when training assigns it.
    await testDb.db.annotation.createMany({
      data: rows.slice(0, 200).map((r, i) => ({
        projectId: project.id,
        itemId: ids[i]!,
        classIds: [classId.get(r.label)!],
        origin: "imported" as const,
      })),
    });
    // As an import does: the item's label columns follow its annotations.
    await testDb.db.$executeRaw`
      UPDATE item SET label_status = 'labeled', label_class_ids = a.class_ids, label_origin = 'imported', labeled_at = now()
      FROM annotation a WHERE a.item_id = item.id AND a.project_id = ${project.id}`;

    const version = await trainModelVersion(testDb.db, boss, project.id, { hooks });
    const [listed] = await listModelVersions(testDb.db, project.id);
    expect(listed).toMatchObject({ id: version.id, number: 1, active: true });
    expect(listed!.testItems).toBeGreaterThan(10);
    expect(listed!.testLogLoss).toBeGreaterThan(0);
    expect(listed!.testEce).toBeGreaterThanOrEqual(0);
    expect(listed!.testEce).toBeLessThanOrEqual(1);

    const detail = await getModelVersion(testDb.db, version.id);
    expect(detail).not.toHaveProperty("params");
    expect(detail).not.toHaveProperty("artifact");
    expect(detail.active).toBe(true);
    const test = detail.metrics!.test!;
    const n = test.n;
    // Rows are true classes in the project's class order; every test item is counted once.
    expect(test.confusion).toHaveLength(4);
    expect(test.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(n);
    expect(test.confusion!.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(test.perClass.map((c) => c.support));
    expect(test.perClass.map((c) => c.label)).toEqual(names);
    expect(detail.metrics!.prCurves!.map((c) => c.class)).toEqual(names);
    for (const curve of detail.metrics!.prCurves!) {
      // Single-label thresholds only mark "unsure" predictions; 0 means the arg-max decides alone.
      expect(curve.threshold).toBeGreaterThanOrEqual(0);
      expect(curve.threshold).toBeLessThanOrEqual(1);
      expect(curve.points.length).toBeGreaterThan(0);
    }
    const bins = detail.metrics!.calibration!;
    expect(bins).toHaveLength(10);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(n);

    // An admin asks for 95% precision: the next version's thresholds come from its cross-validated PR curves, and
    // predictions below them are "unsure" in the playground, the API and the test metrics.
    const { updateProject } = await import("@/server/domain/projects/update-project");
    const { classifyTexts } = await import("@/server/domain/classify/classify-texts");
    await expect(
      updateProject(testDb.db, project.id, { decisionTarget: { metric: "precision", value: 1.2 } }, null),
    ).rejects.toThrow(/below 100%/);
    await updateProject(testDb.db, project.id, { decisionTarget: { metric: "precision", value: 0.95 } }, null);
    const strict = await trainModelVersion(testDb.db, boss, project.id, { hooks });
    const artifact = strict.artifact as { thresholdPolicy: { kind: string; target: number }; thresholds: number[] };
    expect(artifact.thresholdPolicy).toEqual({ kind: "target-precision", target: 0.95 });
    const strictDetail = await getModelVersion(testDb.db, strict.id);
    const thresholds = strictDetail.metrics!.prCurves!.map((c) => c.threshold);
    expect(thresholds.some((t) => t > 0.3)).toBe(true);
    expect(strictDetail.metrics!.test!.unsureRate).toBeGreaterThan(0);
    const texts = rows.slice(200, 260).map((r) => r.text);
    const results = (await classifyTexts(testDb.db, { projectId: project.id, modelVersionId: strict.id, texts }))
      .predictions;
    expect(results.some((r) => r.unsure)).toBe(true);
    // Back to the defaults: no class threshold, nothing unsure.
    await updateProject(testDb.db, project.id, { decisionTarget: null }, null);
    const plain = await trainModelVersion(testDb.db, boss, project.id, { hooks });
    expect((plain.artifact as { thresholdPolicy: { kind: string } }).thresholdPolicy).toEqual({ kind: "default" });
    expect((await testDb.db.project.findUniqueOrThrow({ where: { id: project.id } })).thresholdMetric).toBeNull();
  });
});
