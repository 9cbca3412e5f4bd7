import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFormat } from "@/server/domain/imports/detect-format";
import type { ImportRow, ParsedRow } from "@/server/domain/imports/import-format";
import type { ImportFormat } from "@/server/schemas/import-options";
import { readImportRows } from "@/server/domain/imports/read-import-rows";
import { makeProject } from "../../helpers/factories";
import { importText, itemsWithLabels, streamOf } from "../../helpers/import-helpers";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../../fixtures/imports", name), "utf8");
const errorsOf = (report: { errors: { line: number; column: string | null; reason: string }[] }) =>
  report.errors.map(({ line, column, reason }) => ({ line, column, reason }));
const labeled = (items: Awaited<ReturnType<typeof itemsWithLabels>>) =>
  items.map((i) => [i.text, i.status === "labeled" ? i.labels : null]);

/** The rows a file reads as, without the database; bare 0/1 map onto cat (1) and dog (0). */
async function readRows(content: string, format: ImportFormat): Promise<ParsedRow[]> {
  const rows: ParsedRow[] = [];
  const options = {
    format,
    hasHeader: true,
    maxTextLength: 100_000,
    otherBinaryClass: (name: string) => ({ name: name === "cat" ? "dog" : "cat" }),
    binaryFlagClass: (flag: 0 | 1) => ({ name: flag === 1 ? "cat" : "dog" }),
  };
  for await (const row of readImportRows(streamOf(content), options)) rows.push(row);
  return rows;
}
const withoutLine = (rows: ParsedRow[]) =>
  rows.map((r) => (r.ok ? (({ line: _line, ...rest }: ImportRow) => rest)(r.row) : r.error));

describe("Emissary CSV (input,expected_output)", () => {
  it("is detected by its header, quoted or not, after a BOM, in any case", () => {
    for (const header of [
      "input,expected_output",
      '"input","expected_output"',
      "\ufeffinput,expected_output",
      "Input,Expected_Output",
    ]) {
      expect(detectFormat(Buffer.from(`${header}\nhello,1\n`), "data.csv")).toEqual({
        format: "emissary-csv",
        delimiter: ",",
        reason: 'CSV with "input" and "expected_output" columns',
      });
    }
    // Only the pair makes it Emissary: a lone "input" column is a generic table.
    expect(detectFormat(Buffer.from("input,label\nhello,a\n")).format).toBe("csv");
  });

  it("reads the same records as the Emissary JSONL file with the same rows", async () => {
    const csv = await readRows(fixture("emissary-multilabel.csv"), "emissary-csv");
    const jsonl = await readRows(fixture("emissary-multilabel.jsonl"), "emissary-jsonl");
    expect(csv.every((r) => r.ok)).toBe(true);
    expect(withoutLine(csv)).toEqual(withoutLine(jsonl));
    expect(csv.map((r) => r.ok && r.row.line)).toEqual([2, 3, 4]);

    // Bare 0/1 in CSV and in JSONL completions read alike too.
    const binaryCsv = "input,expected_output\nmeow,1\nwoof,0\n";
    const binaryJsonl = '{"prompt": "meow", "completion": 1}\n{"prompt": "woof", "completion": 0}\n';
    expect(withoutLine(await readRows(binaryCsv, "emissary-csv"))).toEqual(
      withoutLine(await readRows(binaryJsonl, "emissary-jsonl")),
    );
  });

  it("imports multi-label JSON objects like the JSONL variant, creating missing classes on request", async () => {
    const content = fixture("emissary-multilabel.csv");
    const { project } = await makeProject(testDb.db, { taskType: "multilabel", classes: ["battery"] });
    const detected = detectFormat(Buffer.from(content), "emissary-multilabel.csv");
    const report = await importText(project.id, content, { format: detected.format, createMissingClasses: true });
    expect(report).toMatchObject({
      committed: true,
      errorCount: 0,
      columns: ["input", "expected_output"],
      createdClasses: ["shipping", "support"],
    });

    const { project: fromJsonl } = await makeProject(testDb.db, { taskType: "multilabel", classes: ["battery"] });
    await importText(fromJsonl.id, fixture("emissary-multilabel.jsonl"), {
      format: "emissary-jsonl",
      createMissingClasses: true,
    });
    const items = await itemsWithLabels(testDb.db, project.id);
    expect(labeled(items)).toEqual(labeled(await itemsWithLabels(testDb.db, fromJsonl.id)));
    expect(labeled(items)).toEqual([
      ["The battery died after two days and support never answered", ["battery", "support"]],
      ["Arrived a week late, box crushed", ["shipping"]],
      ["Charges fast, lasts all weekend", ["battery"]],
    ]);
    expect(items.every((i) => i.origin === "imported" && i.annotations.length === 1)).toBe(true);
  });

  it("imports binary 0/1 as the project's first (1) and second (0) class", async () => {
    const { project } = await makeProject(testDb.db, { taskType: "binary", classes: ["cat", "dog"] });
    const report = await importText(project.id, fixture("emissary-binary.csv"), { format: "emissary-csv" });
    expect(report).toMatchObject({ committed: true, errorCount: 0, imported: { items: 4, labeled: 4 } });
    expect(labeled(await itemsWithLabels(testDb.db, project.id))).toEqual([
      ["Meow, purr, then a nap in the sun", ["cat"]],
      ["Barks at the mailman every morning", ["dog"]],
      ['Chases the laser dot, ignores the "fetch" game', ["cat"]],
      ["Wags its tail and brings the ball back", ["dog"]],
    ]);
  });

  it("reports a bad expected_output with its line, column and reason", async () => {
    const { project } = await makeProject(testDb.db, { taskType: "binary", classes: ["cat", "dog"] });
    const csv = [
      "input,expected_output",
      "fine,1",
      "two,2", // not 0/1
      '"a text over',
      'two lines",yes', // not 0/1 and not an object: the row starts on line 4
      "nothing,",
      'broken,"{""cat"": 1"', // a malformed object
      'odd,"{""cat"": 2}"', // a value other than 0/1
      'listed,"[1]"',
      "also fine,0",
    ].join("\n");
    const report = await importText(project.id, csv, { format: "emissary-csv", mode: "valid-rows" });
    expect(errorsOf(report)).toEqual([
      { line: 3, column: "expected_output", reason: "invalid_label" },
      { line: 4, column: "expected_output", reason: "invalid_label" },
      { line: 6, column: "expected_output", reason: "missing_field" },
      { line: 7, column: "expected_output", reason: "malformed_json" },
      { line: 8, column: "expected_output", reason: "invalid_label" },
      { line: 9, column: "expected_output", reason: "invalid_label" },
    ]);
    expect(report.errors.map((e) => e.message)).toEqual([
      '"expected_output" must be 0, 1 or an object of label: 0 or 1, got 2',
      '"expected_output" must be 0, 1 or an object of label: 0 or 1, got "yes"',
      '"expected_output" is empty: write 0, 1 or an object of label: 0 or 1',
      expect.stringMatching(/^"expected_output" is not valid JSON: /),
      'Label "cat" must be 0 or 1, got 2',
      '"expected_output" must be 0, 1 or an object of label: 0 or 1, got [1]',
    ]);
    expect(labeled(await itemsWithLabels(testDb.db, project.id))).toEqual([
      ["fine", ["cat"]],
      ["also fine", ["dog"]],
    ]);
  });

  it("rejects a bare 0/1 outside a binary project, and reports unknown classes under expected_output", async () => {
    const { project } = await makeProject(testDb.db, { taskType: "multilabel", classes: ["a", "b"] });
    const csv = 'input,expected_output\nbare,1\nunknown,"{""c"": 1}"\nknown,"{""a"": 1, ""b"": 1}"\n';
    const report = await importText(project.id, csv, { format: "emissary-csv", mode: "valid-rows" });
    expect(errorsOf(report)).toEqual([
      { line: 2, column: "expected_output", reason: "invalid_label" },
      { line: 3, column: "expected_output", reason: "unknown_class" },
    ]);
    expect(report.errors[0]!.message).toBe(
      "A bare 1 needs a binary project with two classes (1 is the first, 0 the second); this project is multilabel with 2 class(es)",
    );
    expect(labeled(await itemsWithLabels(testDb.db, project.id))).toEqual([["known", ["a", "b"]]]);
  });

  it("names both spellings when the header has neither", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a"] });
    await expect(importText(project.id, "input,label\nhello,a\n", { format: "emissary-csv" })).rejects.toThrow(
      'An Emissary CSV needs "input" and "expected_output" columns (or "prompt"); the header has "input", "label".',
    );
  });
});
