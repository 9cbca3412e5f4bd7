import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteProject } from "@/server/domain/projects/delete-project";
import { nextItem } from "@/server/domain/queue/next-item";
import { insertPredictions, type PredictionBatch } from "@/server/domain/scoring/insert-predictions";
import { loadPredictions } from "@/server/domain/scoring/load-predictions";
import {
  attachLoadedPredictions,
  ensureVersionPartition,
  prepareLoad,
} from "@/server/domain/scoring/prediction-partitions";
import { pgPool } from "@/server/pg-pool";
import { addItems, makeProject, makeUser } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

async function setup(texts: string[]) {
  const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
  await testDb.db.project.update({
    where: { id: project.id },
    data: { queueRandomShare: 0, queueMislabeledShare: 0, testBoostShare: 0, testTargetItems: 0 },
  });
  const ids = await addItems(testDb.db, project.id, texts);
  await testDb.db.item.updateMany({ where: { id: { in: ids } }, data: { split: "train" } });
  const version = (number: number) =>
    testDb.db.modelVersion.create({
      data: {
        projectId: project.id,
        number,
        featurizerId: "glove-sif-200@1",
        status: "ready",
        params: { classIds: classes.map((c) => c.id) },
      },
    });
  return { project, classes, ids, version };
}

// Two classes; item i gets priority `priority[i]` and probabilities (p, 1 − p) with p = priority.
function batch(modelVersionId: number, projectId: number, ids: number[], priority: number[], classId: number) {
  const n = ids.length;
  const proba = new Float32Array(n * 2);
  priority.forEach((p, i) => proba.set([p, 1 - p], i * 2));
  return {
    modelVersionId,
    projectId,
    K: 2,
    itemIds: ids,
    proba,
    predicted: ids.map(() => [classId]),
    confidence: Float32Array.from(priority),
    uncertainty: Float32Array.from(priority, (p) => 1 - p),
    priority: Float32Array.from(priority),
    mislabel: Float32Array.from(priority, (p, i) => (i === 0 ? p : -1)),
  } satisfies PredictionBatch;
}

const partitionExists = async (name: string) => {
  const [row] = await testDb.db.$queryRaw<{ found: boolean }[]>`SELECT to_regclass(${name}) IS NOT NULL AS found`;
  return row!.found;
};

describe("the prediction store", () => {
  it("loads a full scoring out of sight, once per range however often a chunk is retried, and attaches it whole", async () => {
    const { project, classes, ids, version } = await setup(["one", "two", "three", "four", "five"]);
    const v = await version(1);
    expect(await prepareLoad(testDb.db, v.id)).toBe(true);
    const first = batch(v.id, project.id, ids.slice(0, 3), [0.9, 0.8, 0.7], classes[0]!.id);
    const second = batch(v.id, project.id, ids.slice(3), [0.6, 0.5], classes[1]!.id);
    expect(await loadPredictions(pgPool(), first, ids[0]!)).toBe(3);
    // A retried chunk, and two twins at once: the range's marker lets exactly one write.
    expect(await loadPredictions(pgPool(), first, ids[0]!)).toBe(0);
    const twins = await Promise.all([
      loadPredictions(pgPool(), second, ids[3]!),
      loadPredictions(pgPool(), second, ids[3]!),
    ]);
    expect(twins.sort()).toEqual([0, 2]);
    // Nothing is visible before the attach: the version has no partition yet.
    expect(await testDb.db.prediction.count({ where: { modelVersionId: v.id } })).toBe(0);
    expect((await testDb.db.modelVersion.findUniqueOrThrow({ where: { id: v.id } })).rankedAt).toBeNull();

    expect(await attachLoadedPredictions(testDb.db, v.id)).toEqual({ attached: true });
    expect(await attachLoadedPredictions(testDb.db, v.id)).toEqual({ attached: false });
    const rows = await testDb.db.prediction.findMany({ where: { modelVersionId: v.id }, orderBy: { itemId: "asc" } });
    expect(rows.map((r) => r.itemId)).toEqual(ids);
    // Binary COPY keeps every float32 exactly, the probabilities' bytes and NULL mislabel scores.
    const exact = await testDb.db.$queryRaw<{ priority: number; mislabel: number | null }[]>`
      SELECT priority::float8 AS priority, mislabel_score::float8 AS mislabel FROM prediction
      WHERE model_version_id = ${v.id} ORDER BY item_id`;
    expect(exact.map((r) => r.priority)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5].map(Math.fround));
    expect(exact.map((r) => r.mislabel)).toEqual([Math.fround(0.9), null, null, Math.fround(0.6), null]);
    expect(new Float32Array(new Uint8Array(rows[1]!.probabilities).buffer)).toEqual(Float32Array.from([0.8, 0.2]));
    expect(rows.map((r) => r.predictedClassIds)).toEqual([
      ...[0, 1, 2].map(() => [classes[0]!.id]),
      ...[3, 4].map(() => [classes[1]!.id]),
    ]);
    expect((await testDb.db.modelVersion.findUniqueOrThrow({ where: { id: v.id } })).rankedAt).not.toBeNull();
    expect(await testDb.db.predictionLoadBlock.count({ where: { modelVersionId: v.id } })).toBe(0);
    // Ranked now: no load table again, and later writes (items imported since) are insert-if-absent.
    expect(await prepareLoad(testDb.db, v.id)).toBe(false);
    expect(await partitionExists(`prediction_v${v.id}_load`)).toBe(false);
    expect(await insertPredictions(testDb.db, first)).toBe(0);
    expect(await testDb.db.prediction.count({ where: { modelVersionId: v.id } })).toBe(5);
  });

  it("keeps the queue on the last attached version while a new active one loads, and says which version it shows", async () => {
    const { project, classes, ids, version } = await setup(["alpha", "beta", "gamma"]);
    const v1 = await version(1);
    await ensureVersionPartition(testDb.db, v1.id);
    await insertPredictions(testDb.db, batch(v1.id, project.id, ids, [0.9, 0.1, 0.2], classes[0]!.id));
    // A retrain activates v2; its full scoring is still loading.
    const v2 = await version(2);
    await testDb.db.project.update({ where: { id: project.id }, data: { activeModelVersionId: v2.id } });
    await prepareLoad(testDb.db, v2.id);
    await loadPredictions(pgPool(), batch(v2.id, project.id, ids, [0.1, 0.2, 0.9], classes[1]!.id), ids[0]!);

    const [ann1, ann2] = [await makeUser(testDb.db), await makeUser(testDb.db)];
    const during = await nextItem(testDb.db, { projectId: project.id }, ann1.id);
    expect(during?.item.id).toBe(ids[0]);
    expect(during?.prediction).toMatchObject({ modelVersionId: v1.id, versionNumber: 1 });

    await attachLoadedPredictions(testDb.db, v2.id);
    const after = await nextItem(testDb.db, { projectId: project.id }, ann2.id);
    expect(after?.item.id).toBe(ids[2]);
    expect(after?.prediction).toMatchObject({
      modelVersionId: v2.id,
      versionNumber: 2,
      predictedClassIds: [classes[1]!.id],
    });
  });

  it("drops a deleted project's partitions and unfinished load tables, and no other project's", async () => {
    const kept = await setup(["kept"]);
    const keptVersion = await kept.version(1);
    await ensureVersionPartition(testDb.db, keptVersion.id);
    await insertPredictions(testDb.db, batch(keptVersion.id, kept.project.id, kept.ids, [0.5], kept.classes[0]!.id));

    const gone = await setup(["x", "y"]);
    const ranked = await gone.version(1);
    await ensureVersionPartition(testDb.db, ranked.id);
    await insertPredictions(testDb.db, batch(ranked.id, gone.project.id, gone.ids, [0.5, 0.4], gone.classes[0]!.id));
    const loading = await gone.version(2);
    await prepareLoad(testDb.db, loading.id);
    await loadPredictions(pgPool(), batch(loading.id, gone.project.id, gone.ids, [0.5, 0.4], gone.classes[0]!.id), 1);

    await deleteProject(testDb.db, gone.project.id, gone.project.name, null);
    expect(await partitionExists(`prediction_v${ranked.id}`)).toBe(false);
    expect(await partitionExists(`prediction_v${loading.id}_load`)).toBe(false);
    expect(await testDb.db.predictionLoadBlock.count({ where: { modelVersionId: loading.id } })).toBe(0);
    expect(await testDb.db.prediction.count({ where: { projectId: gone.project.id } })).toBe(0);
    expect(await testDb.db.prediction.count({ where: { modelVersionId: keptVersion.id } })).toBe(1);
  });
});
