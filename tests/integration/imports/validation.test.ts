import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport } from "@/server/domain/imports/run-import";
import { pgPool } from "@/server/pg-pool";
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

const CSV = { format: "csv", mapping: { text: "text", labels: "label", id: "id", split: "split" } } as const;
const errorsOf = (report: { errors: { line: number; column: string | null; reason: string }[] }) =>
  report.errors.map(({ line, column, reason }) => ({ line, column, reason }));

async function counts(projectId: number) {
  return {
    items: await testDb.db.item.count({ where: { projectId } }),
    annotations: await testDb.db.annotation.count({ where: { projectId } }),
    classes: await testDb.db.labelClass.count({ where: { projectId } }),
    audits: await testDb.db.auditLog.count({ where: { projectId, action: "import.complete" } }),
  };
}

describe("row validation: each error has its line, column and reason", () => {
  it("empty text, unknown class, invalid split, several labels in a single-label project", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["spam", "ham"] });
    const csv = [
      "id,text,label,split",
      "1,fine,ham,train",
      "2,   ,ham,",
      "3,what is this,maybe,",
      "4,odd split,spam,validation",
      "5,two at once,spam|ham,",
    ].join("\n");
    const report = await importText(project.id, csv, {
      ...CSV,
      mapping: { ...CSV.mapping, labelSeparator: "|" },
      mode: "valid-rows",
    });
    expect(errorsOf(report)).toEqual([
      { line: 3, column: "text", reason: "empty_text" },
      { line: 4, column: "label", reason: "unknown_class" },
      { line: 5, column: "split", reason: "invalid_split" },
      { line: 6, column: "label", reason: "too_many_labels" },
    ]);
    expect(report.errors[1]!.message).toBe(
      'Unknown class "maybe": create it (web: "Create missing classes", CLI: --create-classes) or correct the label',
    );
    expect(report.unknownClasses).toEqual([{ name: "maybe", rows: 1 }]);
    expect(report).toMatchObject({
      rows: 5,
      validRows: 1,
      errorCount: 4,
      committed: true,
      imported: { items: 1, labeled: 1 },
    });
    expect(report.errorsByReason).toEqual({ empty_text: 1, unknown_class: 1, invalid_split: 1, too_many_labels: 1 });
  });

  it("creates a missing class when asked, and labels the rows with it", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["spam", "ham"], taskType: "multiclass" });
    const report = await importText(project.id, "text,label\nwhat is this,maybe\nand this,maybe\n", {
      format: "csv",
      createMissingClasses: true,
    });
    expect(report).toMatchObject({
      committed: true,
      errorCount: 0,
      createdClasses: ["maybe"],
      imported: { items: 2, labeled: 2 },
    });
    const classes = await testDb.db.labelClass.findMany({
      where: { projectId: project.id },
      orderBy: { position: "asc" },
    });
    expect(classes.map((c) => [c.name, c.position])).toEqual([
      ["spam", 0],
      ["ham", 1],
      ["maybe", 2],
    ]);
    expect((await itemsWithLabels(testDb.db, project.id)).map((i) => i.labels)).toEqual([["maybe"], ["maybe"]]);
  });

  it("refuses to grow a binary project beyond two classes", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["spam", "ham"], taskType: "binary" });
    await expect(
      importText(project.id, "text,label\nx,maybe\n", { format: "csv", createMissingClasses: true }),
    ).rejects.toThrow(/binary project has exactly two classes/);
    expect(await counts(project.id)).toMatchObject({ items: 0, classes: 2 });
  });

  it("malformed JSON and missing fields in JSONL, with the parser's message", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    const jsonl = [
      '{"text": "ok", "label": "a"}',
      '{"text": "broken", "label": }',
      "[1, 2]",
      '{"label": "a"}',
      '{"text": 42}',
    ].join("\n");
    const report = await importText(project.id, jsonl, { format: "jsonl", mode: "valid-rows" });
    expect(errorsOf(report)).toEqual([
      { line: 2, column: null, reason: "malformed_json" },
      { line: 3, column: null, reason: "malformed_json" },
      { line: 4, column: "text", reason: "missing_field" },
      { line: 5, column: "text", reason: "missing_field" },
    ]);
    expect(report.errors[0]!.message).toMatch(/^Not valid JSON: Unexpected token '}'/);
  });

  it("bad encoding (Latin-1 bytes) is reported on its line and the rest is read", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"] });
    const bytes = Buffer.concat([
      Buffer.from("text,label\n"),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from(",ham\nplain,spam\n"),
    ]);
    const report = await runImport(pgPool(), {
      projectId: project.id,
      userId: null,
      source: Readable.from([bytes]),
      options: { format: "csv", mode: "valid-rows" },
    });
    expect(errorsOf(report)).toEqual([{ line: 2, column: null, reason: "bad_encoding" }]);
    expect(report.imported.items).toBe(1);
  });

  it("duplicate ids and duplicate texts, within the file and against the project", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    await importText(project.id, "id,text\nx1,already here\n", { format: "csv" });
    const csv = ["id,text", "x1,new text", "x2,Hello   world", "x2,another", "x3,Hello world", "x4,already here"].join(
      "\n",
    );
    const report = await importText(project.id, csv, { format: "csv", mode: "valid-rows" });
    expect(errorsOf(report)).toEqual([
      { line: 2, column: "id", reason: "duplicate_id" },
      { line: 4, column: "id", reason: "duplicate_id" },
      { line: 5, column: "text", reason: "duplicate_text" },
      { line: 6, column: "text", reason: "duplicate_text" },
    ]);
    expect(report.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Id "x1" already belongs to item #\d+ in this project$/),
      'Duplicate id "x2" (first on line 3)',
      'Same text as line 3: "Hello world"',
      expect.stringMatching(/^The project already has this text \(item #\d+\): "already here"$/),
    ]);
    expect(report.imported.items).toBe(1);
  });

  it("over-long text", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    const report = await importText(project.id, `text\nshort\n${"x".repeat(11)}\n`, {
      format: "csv",
      maxTextLength: 10,
      mode: "valid-rows",
    });
    expect(errorsOf(report)).toEqual([{ line: 3, column: "text", reason: "text_too_long" }]);
    expect(report.errors[0]!.message).toBe("The text has 11 characters; the limit is 10");
  });

  it("Emissary labels must be 0 or 1", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"], taskType: "multilabel" });
    const report = await importText(
      project.id,
      '{"prompt": "p", "completion": {"a": 2}}\n{"prompt": "q", "completion": "nope"}\n',
      { format: "emissary-jsonl", mode: "valid-rows" },
    );
    expect(errorsOf(report)).toEqual([
      { line: 1, column: "completion", reason: "invalid_label" },
      // A word is a wrong value (invalid_label); malformed_json is for an object that does not parse.
      { line: 2, column: "completion", reason: "invalid_label" },
    ]);
  });
});

describe("modes and transactions", () => {
  const file = "text,label\ngood one,a\n,a\ngood two,a\n";

  it("all-or-nothing imports nothing when any row is bad", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    const report = await importText(project.id, file, { format: "csv", mode: "all-or-nothing" });
    expect(report).toMatchObject({ committed: false, validRows: 2, errorCount: 1, imported: { items: 0, labeled: 0 } });
    expect(report.rolledBackBecause).toBe("1 row(s) have errors and the mode is all-or-nothing");
    expect(await counts(project.id)).toEqual({ items: 0, annotations: 0, classes: 1, audits: 0 });
  });

  it("valid-rows imports the good rows and records one audit entry", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    const report = await importText(project.id, file, { format: "csv", mode: "valid-rows" });
    expect(report).toMatchObject({ committed: true, imported: { items: 2, labeled: 2 } });
    expect(await counts(project.id)).toEqual({ items: 2, annotations: 2, classes: 1, audits: 1 });
  });

  it("a preview reports the classes it would create but writes nothing", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"], taskType: "multiclass" });
    const report = await importText(
      project.id,
      "text,label\nx,a\ny,new class\n",
      { format: "csv", createMissingClasses: true },
      { dryRun: true },
    );
    expect(report).toMatchObject({ dryRun: true, committed: false, validRows: 2, createdClasses: ["new class"] });
    expect(report.sample.map((s) => s.text)).toEqual(["x", "y"]);
    expect(await counts(project.id)).toEqual({ items: 0, annotations: 0, classes: 1, audits: 0 });
  });

  it("a stream that fails half-way leaves nothing behind", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    async function* failing() {
      yield Buffer.from("text,label\n");
      for (let batch = 0; batch < 3; batch++) {
        yield Buffer.from(Array.from({ length: 5_000 }, (_, i) => `row ${batch}-${i},a\n`).join(""));
      }
      throw new Error("connection reset by peer");
    }
    await expect(
      runImport(pgPool(), { projectId: project.id, userId: null, source: failing(), options: { format: "csv" } }),
    ).rejects.toThrow(/connection reset/);
    expect(await counts(project.id)).toEqual({ items: 0, annotations: 0, classes: 1, audits: 0 });
  });

  it("a database failure after the items were inserted rolls the items back too", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    await testDb.db.$executeRawUnsafe(`
      CREATE FUNCTION fail_annotation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'annotation write failed'; END $$`);
    await testDb.db.$executeRawUnsafe(
      `CREATE TRIGGER fail_annotation BEFORE INSERT ON annotation FOR EACH ROW EXECUTE FUNCTION fail_annotation()`,
    );
    try {
      await expect(importText(project.id, "text,label\none,a\ntwo,a\n", { format: "csv" })).rejects.toThrow(
        /annotation write failed/,
      );
    } finally {
      await testDb.db.$executeRawUnsafe(`DROP TRIGGER fail_annotation ON annotation`);
    }
    expect(await counts(project.id)).toEqual({ items: 0, annotations: 0, classes: 1, audits: 0 });
  });
});
