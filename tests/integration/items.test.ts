import { TRPCClientError } from "@trpc/client";
import { parseFeaturizerId } from "@/server/featurizers/featurizer-spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type apiClient, signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { addItems, makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { ensureVersionPartition } from "@/server/domain/scoring/prediction-partitions";

let testDb: TestDatabase;
let server: ApiServer;
let admin: Client;
let annotator: Client;
let annotatorId: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startApiServer();
  const a = await makeUser(testDb.db, "admin");
  admin = (await signIn(server.url, a.email, TEST_PASSWORD)).client;
  const b = await makeUser(testDb.db, "annotator");
  annotatorId = b.id;
  annotator = (await signIn(server.url, b.email, TEST_PASSWORD)).client;
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

type Client = ReturnType<typeof apiClient>;
type ListInput = Parameters<Client["items"]["list"]["query"]>[0];

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return { code: (error.data as { code?: string }).code, message: error.message };
    throw error;
  }
  return { code: "OK", message: "" };
}

/** Walks every page forwards, then back from the last page with `before`, and checks both walks agree. */
async function walk(input: ListInput) {
  const pages: number[][] = [];
  let after: string | undefined;
  let last: Awaited<ReturnType<Client["items"]["list"]["query"]>> | undefined;
  do {
    last = await admin.items.list.query({ ...input, after });
    pages.push(last.items.map((i) => i.id));
    after = last.nextCursor ?? undefined;
  } while (after);
  let before = last.prevCursor ?? undefined;
  for (let p = pages.length - 2; p >= 0; p--) {
    const page = await admin.items.list.query({ ...input, before });
    expect(page.items.map((i) => i.id)).toEqual(pages[p]);
    before = page.prevCursor ?? undefined;
  }
  expect(before).toBeUndefined();
  return pages;
}

/** A ready model version made active, with predictions written straight into the table (no classifier needed). */
async function activeVersionWith(
  projectId: number,
  classIds: number[],
  predictions: { itemId: number; classId: number; uncertainty: number }[],
) {
  const version = await testDb.db.modelVersion.create({
    data: { projectId, number: 1, featurizerId: "test", status: "ready", params: { classIds }, finishedAt: new Date() },
  });
  await ensureVersionPartition(testDb.db, version.id);
  await testDb.db.prediction.createMany({
    data: predictions.map((p) => ({
      modelVersionId: version.id,
      projectId,
      itemId: p.itemId,
      probabilities: new Uint8Array(
        Float32Array.from(classIds.map((c) => (c === p.classId ? 1 - p.uncertainty / 2 : p.uncertainty / 2))).buffer,
      ),
      predictedClassIds: [p.classId],
      confidence: 1 - p.uncertainty / 2,
      uncertainty: p.uncertainty,
      priority: p.uncertainty,
    })),
  });
  await testDb.db.project.update({ where: { id: projectId }, data: { activeModelVersionId: version.id } });
  return version;
}

describe("items.list pagination", () => {
  it("pages by id in both directions without gaps or repeats, and new rows do not shift a page", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 107 }, (_, i) => `text number ${i}`),
    );
    const pages = await walk({ projectId: project.id, limit: 25 });
    expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 25, 7]);
    expect(pages.flat()).toEqual([...ids].sort((a, b) => a - b));

    const desc = await walk({ projectId: project.id, limit: 40, dir: "desc" });
    expect(desc.flat()).toEqual([...ids].sort((a, b) => b - a));

    const first = await admin.items.list.query({ projectId: project.id, limit: 25 });
    await addItems(testDb.db, project.id, ["a late arrival"]);
    const second = await admin.items.list.query({ projectId: project.id, limit: 25, after: first.nextCursor! });
    expect(second.items.map((i) => i.id)).toEqual(pages[1]);
  });

  it("sorts by uncertainty and by labeled-at with unscored/unlabeled items last, across page boundaries", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 30 }, (_, i) => `sortable ${i}`),
    );
    // Every third item stays unscored; ties in uncertainty are broken by id.
    const scored = ids.filter((_, i) => i % 3 !== 0);
    await activeVersionWith(
      project.id,
      classes.map((c) => c.id),
      scored.map((itemId, i) => ({ itemId, classId: classes[i % 2]!.id, uncertainty: [0.9, 0.1, 0.5, 0.5][i % 4]! })),
    );
    const byUncertainty = (await walk({ projectId: project.id, sort: "uncertainty", dir: "desc", limit: 7 })).flat();
    const rows = await testDb.db.prediction.findMany({ where: { itemId: { in: scored } } });
    const u = new Map(rows.map((r) => [r.itemId, r.uncertainty]));
    const expected = [...scored].sort((a, b) => u.get(b)! - u.get(a)! || b - a);
    expect(byUncertainty).toEqual([...expected, ...ids.filter((_, i) => i % 3 === 0).sort((a, b) => b - a)]);
    const ascending = (await walk({ projectId: project.id, sort: "uncertainty", dir: "asc", limit: 6 })).flat();
    expect(ascending.slice(0, scored.length)).toEqual([...scored].sort((a, b) => u.get(a)! - u.get(b)! || a - b));

    for (const itemId of [ids[5]!, ids[2]!, ids[9]!]) {
      await admin.labels.submit.mutate({ projectId: project.id, itemId, action: "label", classIds: [classes[0]!.id] });
    }
    const byLabeledAt = (await walk({ projectId: project.id, sort: "labeledAt", dir: "desc", limit: 4 })).flat();
    expect(byLabeledAt.slice(0, 3)).toEqual([ids[9], ids[2], ids[5]]);
    expect(byLabeledAt).toHaveLength(30);
  });
});

describe("items.list filters and search", () => {
  it("filters by label, prediction, uncertainty, source, split, status and annotator, and counts the same rows", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["sports", "tech"] });
    // No arrival draw into the test split (test share 0): the split filter sees exactly the items set below.
    await testDb.db.project.update({ where: { id: project.id }, data: { testShare: 0 } });
    const [sports, tech] = classes;
    const ids = await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 12 }, (_, i) => `filter item ${i}`),
    );
    await testDb.db.item.updateMany({ where: { id: { in: ids.slice(0, 3) } }, data: { source: "generated" } });
    await testDb.db.item.updateMany({ where: { id: { in: ids.slice(3, 5) } }, data: { split: "test" } });
    await admin.labels.submit.mutate({
      projectId: project.id,
      itemId: ids[0]!,
      action: "label",
      classIds: [sports!.id],
    });
    await annotator.labels.submit.mutate({
      projectId: project.id,
      itemId: ids[1]!,
      action: "label",
      classIds: [tech!.id],
    });
    await annotator.labels.submit.mutate({ projectId: project.id, itemId: ids[2]!, action: "skip", reason: "unclear" });
    await activeVersionWith(
      project.id,
      [sports!.id, tech!.id],
      ids.slice(0, 8).map((itemId, i) => ({ itemId, classId: i < 4 ? sports!.id : tech!.id, uncertainty: i / 10 })),
    );

    const cases: [Partial<ListInput>, number[]][] = [
      [{ classId: sports!.id }, [ids[0]!]],
      [{ classId: tech!.id }, [ids[1]!]],
      [{ predictedClassId: tech!.id }, ids.slice(4, 8)],
      [{ uncertaintyMin: 0.25, uncertaintyMax: 0.55 }, ids.slice(3, 6)],
      [{ source: "generated" }, ids.slice(0, 3)],
      [{ split: "test" }, ids.slice(3, 5)],
      [{ labelStatus: "skipped" }, [ids[2]!]],
      [{ labelStatus: "unlabeled", source: "imported" }, ids.slice(3)],
      [{ annotatorId }, [ids[1]!, ids[2]!]],
      [{ predictedClassId: sports!.id, source: "generated", labelStatus: "labeled" }, [ids[0]!, ids[1]!]],
      [{ predictedClassId: sports!.id, classId: tech!.id }, [ids[1]!]],
    ];
    for (const [filters, expected] of cases) {
      const page = await admin.items.list.query({ projectId: project.id, ...filters });
      expect(
        page.items.map((i) => i.id),
        JSON.stringify(filters),
      ).toEqual(expected);
      expect(await admin.items.count.query({ projectId: project.id, ...filters })).toEqual({
        count: expected.length,
        capped: false,
      });
    }
    const annotators = await admin.items.annotators.query({ projectId: project.id });
    expect(annotators.map((a) => a.id).sort()).toHaveLength(2);
    const row = (await admin.items.list.query({ projectId: project.id, classId: sports!.id })).items[0]!;
    expect(row).toMatchObject({
      labelStatus: "labeled",
      labelClassIds: [sports!.id],
      predictedClassIds: [sports!.id],
      source: "generated",
      labelOrigin: "human",
    });
  });

  it("searches text case-insensitively, matching % and _ literally, and reports bad input clearly", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(testDb.db, project.id, [
      "Refund my ORDER please",
      "order status?",
      "100% done",
      "1000 done",
      "snake_case",
      "snakeXcase",
    ]);
    const search = async (s: string) =>
      (await admin.items.list.query({ projectId: project.id, search: s })).items.map((i) => i.id);
    expect(await search("order")).toEqual([ids[0], ids[1]]);
    expect(await search("  REFUND ")).toEqual([ids[0]]);
    expect(await search("0%")).toEqual([ids[2]]);
    expect(await search("e_c")).toEqual([ids[4]]);
    expect(await search("nothing like this")).toEqual([]);

    const empty = await failure(
      admin.items.list.query({ projectId: project.id, uncertaintyMin: 0.8, uncertaintyMax: 0.2 }),
    );
    expect(empty).toMatchObject({ code: "BAD_REQUEST" });
    expect(empty.message).toMatch(/uncertainty range is empty/);
    const cursor = await failure(admin.items.list.query({ projectId: project.id, after: "not-a-cursor" }));
    expect(cursor).toMatchObject({ code: "BAD_REQUEST" });
    expect(cursor.message).toMatch(/cursor is invalid/);
    const idCursor = (await admin.items.list.query({ projectId: project.id, limit: 2 })).nextCursor!;
    expect(
      await failure(admin.items.list.query({ projectId: project.id, sort: "labeledAt", after: idCursor })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(admin.items.list.query({ projectId: 999_999 }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("items.get and items.similar", () => {
  it("shows the label history with undone and superseded annotations and the active prediction", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const [itemId] = await addItems(testDb.db, project.id, ["history item"]);
    await annotator.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    await annotator.labels.submit.mutate({
      projectId: project.id,
      itemId: itemId!,
      action: "label",
      classIds: [classes[1]!.id],
    });
    await annotator.labels.undo.mutate({ projectId: project.id });
    await activeVersionWith(
      project.id,
      [classes[0]!.id, classes[1]!.id],
      [{ itemId: itemId!, classId: classes[1]!.id, uncertainty: 0.4 }],
    );
    const item = await admin.items.get.query({ projectId: project.id, itemId: itemId! });
    expect(item.labelClassIds).toEqual([classes[0]!.id]);
    expect(item.annotations.map((a) => [a.classIds, a.undoneAt !== null, a.user?.id])).toEqual([
      [[classes[0]!.id], false, annotatorId],
      [[classes[1]!.id], true, annotatorId],
    ]);
    expect(item.prediction).toMatchObject({ versionNumber: 1, predictedClassIds: [classes[1]!.id] });
    expect(item.prediction!.probabilities[0]).toMatchObject({ classId: classes[1]!.id });
    expect(item.prediction!.probabilities[0]!.probability).toBeCloseTo(0.8, 5);
    expect(await failure(admin.items.get.query({ projectId: project.id + 1000, itemId: itemId! }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("orders similar items by cosine over cached vectors, skipping uncached ones and the item itself", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const texts = ["query", "same direction", "close", "orthogonal", "opposite", "not cached"];
    const ids = await addItems(testDb.db, project.id, texts);
    const vectors = [
      [1, 0, 0],
      [2, 0, 0],
      [1, 0.5, 0],
      [0, 1, 0],
      [-1, 0, 0],
    ];
    const items = await testDb.db.item.findMany({
      where: { id: { in: ids } },
      select: { id: true, contentHash: true },
    });
    const hashOf = new Map(items.map((i) => [i.id, i.contentHash]));
    await testDb.db.embeddingCache.createMany({
      data: vectors.map((v, i) => ({
        featurizerId: parseFeaturizerId(project.featurizerId).dense,
        contentHash: hashOf.get(ids[i]!)!,
        dim: 3,
        vector: new Uint8Array(Float32Array.from(v).buffer),
      })),
    });
    const similar = await admin.items.similar.query({ projectId: project.id, itemId: ids[0]!, limit: 3 });
    expect(similar.items.map((i) => i.id)).toEqual([ids[1], ids[2], ids[3]]);
    expect(similar.items[0]!.similarity).toBeCloseTo(1, 6);
    expect(similar.items[1]!.similarity).toBeCloseTo(1 / Math.sqrt(1.25), 6);
    expect(similar).toMatchObject({ scanned: 6, compared: 5, complete: true });
    const all = await admin.items.similar.query({ projectId: project.id, itemId: ids[0]!, limit: 10 });
    expect(all.items.map((i) => i.id)).toEqual([ids[1], ids[2], ids[3], ids[4]]);
    const uncached = await failure(admin.items.similar.query({ projectId: project.id, itemId: ids[5]! }));
    expect(uncached.code).toBe("PRECONDITION_FAILED");
    expect(uncached.message).toMatch(/has no embedding/);
  });
});

describe("labels.bulk", () => {
  it("labels a selection in one transaction with one audit entry, superseding earlier labels", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(testDb.db, project.id, ["bulk 1", "bulk 2", "bulk 3"]);
    await annotator.labels.submit.mutate({
      projectId: project.id,
      itemId: ids[0]!,
      action: "label",
      classIds: [classes[0]!.id],
    });
    const result = await admin.labels.bulk.mutate({ projectId: project.id, itemIds: ids, classIds: [classes[1]!.id] });
    expect(result).toMatchObject({ labeled: 3, changed: 3 });
    const rows = await testDb.db.item.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.labelStatus, r.labelClassIds, r.labelOrigin])).toEqual(
      ids.map(() => ["labeled", [classes[1]!.id], "human"]),
    );
    const superseding = await testDb.db.annotation.findFirst({
      where: { itemId: ids[0]!, classIds: { equals: [classes[1]!.id] } },
    });
    expect(superseding?.supersedesId).not.toBeNull();
    const audit = await testDb.db.auditLog.findMany({ where: { projectId: project.id, action: "label.bulk" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ itemIds: ids, classIds: [classes[1]!.id] });
    const again = await admin.labels.bulk.mutate({
      projectId: project.id,
      itemIds: ids.slice(0, 2),
      classIds: [classes[1]!.id],
    });
    expect(again).toMatchObject({ labeled: 2, changed: 0 });
  });

  it("writes nothing when one item or class is wrong, and is refused to annotators", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const other = await makeProject(testDb.db, { classes: ["x"] });
    const ids = await addItems(testDb.db, project.id, ["atomic 1", "atomic 2"]);
    const [foreign] = await addItems(testDb.db, other.project.id, ["elsewhere"]);
    const before = await testDb.db.annotation.count();

    const wrongItem = await failure(
      admin.labels.bulk.mutate({ projectId: project.id, itemIds: [...ids, foreign!], classIds: [classes[0]!.id] }),
    );
    expect(wrongItem.code).toBe("BAD_REQUEST");
    expect(wrongItem.message).toMatch(new RegExp(`Item ${foreign} is not in project`));
    const wrongClass = await failure(
      admin.labels.bulk.mutate({ projectId: project.id, itemIds: ids, classIds: [other.classes[0]!.id] }),
    );
    expect(wrongClass).toMatchObject({ code: "BAD_REQUEST" });
    const twoClasses = await failure(
      admin.labels.bulk.mutate({ projectId: project.id, itemIds: ids, classIds: classes.map((c) => c.id) }),
    );
    expect(twoClasses.message).toMatch(/exactly one class/);
    expect(
      await failure(admin.labels.bulk.mutate({ projectId: project.id, itemIds: [], classIds: [classes[0]!.id] })),
    ).toMatchObject({ code: "BAD_REQUEST" });
    expect(
      await failure(annotator.labels.bulk.mutate({ projectId: project.id, itemIds: ids, classIds: [classes[0]!.id] })),
    ).toMatchObject({ code: "FORBIDDEN" });

    expect(await testDb.db.annotation.count()).toBe(before);
    expect(await testDb.db.item.count({ where: { id: { in: ids }, labelStatus: "labeled" } })).toBe(0);
    expect(await testDb.db.auditLog.count({ where: { action: "label.bulk", projectId: project.id } })).toBe(0);
  });
});
