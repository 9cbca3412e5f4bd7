import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/generated/prisma/client";
import { labeledItemsSql, loadLabeledItems } from "@/server/domain/training/load-labeled-items";
import { addItems, makeProject } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

/** The plan of training's label read when the planner may not scan the table (a tiny test table always would). */
async function planOf(projectId: number, withText: boolean): Promise<string> {
  return testDb.db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
    await tx.$executeRaw`SET LOCAL enable_bitmapscan = off`;
    const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(
      Prisma.sql`EXPLAIN ${labeledItemsSql(projectId, withText)}`,
    );
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe("training's label read", () => {
  it("reads labeled items only, in id order, from the labeled-items index alone", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const ids = await addItems(
      testDb.db,
      project.id,
      Array.from({ length: 40 }, (_, i) => `text ${i}`),
    );
    const labeled = ids.filter((_, i) => i % 3 === 0);
    const [a, b] = [classes[0]!.id, classes[1]!.id];
    for (const [n, id] of labeled.entries())
      await testDb.db.item.update({
        where: { id },
        data: {
          labelStatus: "labeled",
          labelClassIds: [n % 2 ? b : a],
          labelOrigin: "human",
          labeledAt: new Date(),
          split: n % 4 === 3 ? "test" : "train",
        },
      });
    // Skipped items carry no label and never count.
    await testDb.db.item.update({ where: { id: ids[1]! }, data: { labelStatus: "skipped" } });
    await testDb.db.$executeRawUnsafe("VACUUM ANALYZE item");

    const { train, test } = await loadLabeledItems(testDb.db, project.id, { includeGenerated: true });
    const hashes = new Map(
      (await testDb.db.item.findMany({ where: { projectId: project.id } })).map((i) => [i.id, i.contentHash]),
    );
    const expected = labeled.map((id, n) => ({
      itemId: id,
      contentHash: hashes.get(id),
      classIds: [n % 2 ? b : a],
      origin: "human",
      split: n % 4 === 3 ? "test" : "train",
    }));
    expect([...train, ...test].sort((x, y) => x.itemId - y.itemId)).toEqual(expected);
    expect(train.map((t) => t.itemId)).toEqual(expected.filter((e) => e.split === "train").map((e) => e.itemId));

    // Without texts, every column comes from item_labeled_idx: no visit to the table's rows.
    expect(await planOf(project.id, false)).toMatch(/^Index Only Scan using item_labeled_idx on item/);
    const withText = await loadLabeledItems(testDb.db, project.id, { includeGenerated: true, withText: true });
    expect(withText.train.map((t) => t.text)).toEqual(train.map((t) => `text ${ids.indexOf(t.itemId)}`));
  });
});
