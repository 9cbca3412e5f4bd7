import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decompressedSample } from "@/server/domain/imports/decompress-source";
import { detectFormat } from "@/server/domain/imports/detect-format";
import type { ImportOptions } from "@/server/schemas/import-options";
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

const corpusDir = path.join(import.meta.dirname, "../../fixtures/imports/malformed");
const fixture = (name: string) => readFileSync(path.join(corpusDir, name));
const errorsOf = (report: { errors: { line: number; reason: string }[] }) =>
  report.errors.map(({ line, reason }) => ({ line, reason }));

/** Detection as the upload route, the preview and the CLI do it: on the decompressed, decoded sample, named without .gz. */
async function detect(name: string, bytes: Buffer) {
  return detectFormat(await decompressedSample(Readable.from([bytes])), name.replace(/\.gz$/i, ""));
}

async function importFixture(name: string, options: Partial<ImportOptions> = {}) {
  const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"] });
  const bytes = fixture(name);
  const detected = await detect(name, bytes);
  const report = await importText(project.id, bytes, {
    format: detected.format,
    delimiter: detected.delimiter,
    mode: "valid-rows",
    ...options,
  });
  return { report, items: await itemsWithLabels(testDb.db, project.id), detected };
}

interface Expected {
  file: string;
  why: string;
  /** The detected format; null when the file is refused before detection (an archive, an image). */
  format: string | null;
  /** The project imported into: classes ham and spam, multi-class, unless said otherwise. */
  project?: { taskType?: "binary" | "multiclass" | "multilabel"; classes?: string[] };
  options?: Partial<ImportOptions>;
  outcome: "rows" | "file_error" | "no_rows";
  /** Row errors in line order: [line, reason] or [line, reason, a pattern of the message]. */
  errors?: ([line: number, reason: string] | [line: number, reason: string, message: string])[];
  validRows?: number;
  /** What valid-rows mode stores, in order: [text, labels]. */
  items?: [text: string, labels: string[]][];
  message?: string;
}

const table = (JSON.parse(readFileSync(path.join(corpusDir, "expected.json"), "utf8")) as { files: Expected[] }).files;

describe("malformed-file corpus: the table of expected outcomes", () => {
  it("has a row for every file of the corpus, and a file for every row", () => {
    const files = readdirSync(corpusDir)
      .filter((name) => name !== "expected.json")
      .sort();
    expect(table.map((row) => row.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it.each(table.map((row) => [row.file, row] as const))("%s", async (name, expected) => {
    const bytes = fixture(name);
    const detecting = detect(name, bytes);
    if (expected.format === null) await expect(detecting).rejects.toThrow(new RegExp(expected.message!));
    else expect((await detecting).format).toBe(expected.format);
    const { format, delimiter } =
      expected.format === null ? { format: "csv" as const, delimiter: undefined } : await detecting;

    for (const mode of ["valid-rows", "all-or-nothing"] as const) {
      const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"], ...expected.project });
      const run = importText(project.id, bytes, { format, delimiter, mode, ...expected.options });
      if (expected.outcome === "file_error") {
        await expect(run, mode).rejects.toThrow(new RegExp(expected.message!));
        continue;
      }
      const report = await run;
      const items = await itemsWithLabels(testDb.db, project.id);
      if (expected.outcome === "no_rows") {
        expect(report, mode).toMatchObject({
          rows: 0,
          committed: false,
          rolledBackBecause: expect.stringMatching(new RegExp(expected.message!)),
        });
        expect(items, mode).toEqual([]);
        continue;
      }
      const errors = expected.errors!;
      expect(
        report.errors.map((e) => [e.line, e.reason]),
        mode,
      ).toEqual(errors.map(([line, reason]) => [line, reason]));
      errors.forEach(
        ([, , pattern], i) =>
          pattern !== undefined &&
          expect(report.errors[i]!.message, `${mode}, error ${i + 1}`).toMatch(new RegExp(pattern)),
      );
      expect(report.validRows, mode).toBe(expected.validRows);
      if (mode === "all-or-nothing" && errors.length > 0) {
        // Any row error rolls the whole file back.
        expect(report, mode).toMatchObject({
          committed: false,
          rolledBackBecause: `${errors.length} row(s) have errors and the mode is all-or-nothing`,
        });
        expect(items, mode).toEqual([]);
        continue;
      }
      expect(report.committed, mode).toBe(true);
      expect(items.length, mode).toBe(expected.validRows);
      if (expected.items)
        expect(
          items.map((i) => [i.text, i.labels]),
          mode,
        ).toEqual(expected.items);
    }
  });
});

describe("malformed-file corpus", () => {
  it("truncated JSON: the cut line is an error, the lines before it import", async () => {
    const { report, items } = await importFixture("truncated.jsonl");
    expect(errorsOf(report)).toEqual([{ line: 3, reason: "malformed_json" }]);
    expect(items.map((i) => [i.text, i.labels])).toEqual([
      ["first", ["ham"]],
      ["second", ["spam"]],
    ]);
  });

  it("wrong delimiter: a clear file error when forced to ',', and detected as ';' otherwise", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"] });
    await expect(
      importText(project.id, fixture("wrong-delimiter.csv"), { format: "csv", delimiter: "," }),
    ).rejects.toThrow(
      'No text column found among "text;label": choose it in the mapping. The header looks ";"-separated: choose that delimiter.',
    );
    const { report, detected } = await importFixture("wrong-delimiter.csv");
    expect(detected).toMatchObject({ format: "csv", delimiter: ";" });
    expect(report).toMatchObject({ committed: true, errorCount: 0, imported: { items: 2, labeled: 2 } });
  });

  it("a UTF-8 byte-order mark is not part of the first column's name", async () => {
    const { report, items } = await importFixture("bom.csv");
    expect(report.columns).toEqual(["text", "label"]);
    expect(items.map((i) => [i.text, i.labels])).toEqual([["with a byte-order mark", ["ham"]]]);
  });

  it("cells of columns without a name are kept in metadata under their position", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"] });
    const report = await importText(project.id, fixture("empty-header-column.csv"), { format: "csv" });
    expect(report.columns).toEqual(["text", "column 2", "label", "column 4"]);
    const items = await testDb.db.item.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(items.map((i) => i.metadata)).toEqual([{ "column 2": "x", "column 4": "y" }, null]);
  });

  it("CRLF line endings leave no carriage returns in texts or labels", async () => {
    const { report, items } = await importFixture("crlf.csv");
    expect(report.errorCount).toBe(0);
    expect(items.map((i) => [i.text, i.labels])).toEqual([
      ["windows line one", ["ham"]],
      ["windows, quoted", ["spam"]],
    ]);
  });

  it("quotes inside fields: doubled quotes and line breaks are kept, a stray quote is an error on its line", async () => {
    const { report, items } = await importFixture("quotes.csv");
    expect(items.map((i) => i.text).slice(0, 2)).toEqual(['she said "hi", then left', "a text over\ntwo lines"]);
    expect(report.errors[0]).toMatchObject({ line: 5, reason: "malformed_csv" });
    expect(report.errors[0]!.message).toMatch(/Invalid Closing Quote/);
  });

  it("Latin-1 bytes are reported as bad encoding on their line", async () => {
    const { report, items } = await importFixture("latin1.csv");
    expect(errorsOf(report)).toEqual([{ line: 2, reason: "bad_encoding" }]);
    expect(items.map((i) => i.text)).toEqual(["plain ascii"]);
  });

  it("an unclosed quote is a malformed-CSV error, not a silent merge into one huge text", async () => {
    const { report, items } = await importFixture("unclosed-quote.csv");
    expect(report.errors).toEqual([
      {
        line: 2,
        column: "text",
        reason: "malformed_csv",
        message: expect.stringMatching(/^The quote that opens the first field \("text"\) on line 2 is never closed/),
      },
    ]);
    expect(items).toEqual([]);
  });

  it("a 1 MB single line: reported as too long under the default limit, imported when the limit allows it", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["ham"] });
    const big = "ü".repeat(512 * 1024); // 1 MB of UTF-8 on one line
    const jsonl = `${JSON.stringify({ text: big, label: "ham" })}\n{"text": "small", "label": "ham"}\n`;
    const strict = await importText(project.id, jsonl, { format: "jsonl", mode: "valid-rows" }, { dryRun: true });
    expect(errorsOf(strict)).toEqual([{ line: 1, reason: "line_too_long" }]);
    expect(strict.validRows).toBe(1);

    const report = await importText(project.id, jsonl, { format: "jsonl", maxTextLength: 600_000 });
    expect(report).toMatchObject({ committed: true, imported: { items: 2 } });
    const stored = await testDb.db.item.findFirstOrThrow({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(stored.text).toBe(big);

    const csv = `text\n${"y".repeat(1024 * 1024)}\n`;
    const csvReport = await importText(project.id, csv, { format: "csv", mode: "valid-rows" }, { dryRun: true });
    expect(errorsOf(csvReport)).toEqual([{ line: 2, reason: "line_too_long" }]);
  });
});
