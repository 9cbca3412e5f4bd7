import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject } from "../../helpers/factories";
import { importText, itemsWithLabels } from "../../helpers/import-helpers";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

describe("runImport", () => {
  it("imports a labeled CSV as items with imported annotations and denormalized label fields", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["spam", "ham"] });
    const csv =
      'id,text,label,split\n1,"Win money, now!",spam,train\r\n2,"Lunch at ""noon""?",ham,test\n3,no label here,,\n';
    const report = await importText(project.id, csv, {
      format: "csv",
      mapping: { text: "text", labels: "label", id: "id", split: "split" },
    });
    expect(report).toMatchObject({
      committed: true,
      rows: 3,
      validRows: 3,
      errorCount: 0,
      imported: { items: 3, labeled: 2 },
    });
    const items = await itemsWithLabels(testDb.db, project.id);
    expect(items.map(({ labeledAt: _l, ...rest }) => rest)).toEqual([
      {
        text: "Win money, now!",
        labels: ["spam"],
        status: "labeled",
        origin: "imported",
        split: "train",
        externalId: "1",
        annotations: [{ origin: "imported", labels: ["spam"] }],
      },
      {
        text: 'Lunch at "noon"?',
        labels: ["ham"],
        status: "labeled",
        origin: "imported",
        split: "test",
        externalId: "2",
        annotations: [{ origin: "imported", labels: ["ham"] }],
      },
      {
        text: "no label here",
        labels: [],
        status: "unlabeled",
        origin: null,
        split: "unassigned",
        externalId: "3",
        annotations: [],
      },
    ]);
    expect(items[0]!.labeledAt).toBeInstanceOf(Date);
    expect(items[2]!.labeledAt).toBeNull();
  });
});
