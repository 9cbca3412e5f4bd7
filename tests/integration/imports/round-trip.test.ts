import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFormat } from "@/server/domain/imports/detect-format";
import type { ImportOptions } from "@/server/schemas/import-options";
import type { ExportFormat } from "@/server/domain/exports/export-input";
import { makeProject } from "../../helpers/factories";
import { exportText } from "../../helpers/export-helpers";
import { importText, itemsWithLabels } from "../../helpers/import-helpers";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

// Unicode in texts and class names, quotes, delimiters, tabs and line breaks inside texts.
const MULTI_CLASSES = ["joy", "colère", "日本", "emoji 🎉"];
const MULTI_ROWS = [
  { id: "a1", text: "Fête à Zürich — naïve café ☕", labels: ["joy", "colère"], split: "train" },
  { id: "a2", text: 'She said "hello, world"; then left', labels: ["colère"], split: "test" },
  { id: "a3", text: "東京は晴れ\nline two", labels: ["日本", "emoji 🎉", "joy"], split: "unassigned" },
  { id: "a4", text: "tab\tinside, and | pipe", labels: ["emoji 🎉"], split: "train" },
  { id: "a5", text: "😀 only emoji 😀", labels: ["joy"], split: "unassigned" },
  { id: "a6", text: "not labeled yet", labels: null, split: "unassigned" },
  // Labeled, and no class applies (labels.submit allows it in multi-label projects): not the same as a6.
  { id: "a7", text: "labeled: none of these", labels: [], split: "train" },
];

// What the import wizard detects for each export; the file is then imported with the detected format and the
// guessed mapping, as a user who changes nothing would.
const detected: Record<ExportFormat, ImportOptions["format"]> = {
  text: "text",
  lamini: "lamini",
  "emissary-jsonl": "emissary-jsonl",
  "emissary-csv": "emissary-csv",
  csv: "csv",
  tsv: "tsv",
  jsonl: "jsonl",
  "hf-jsonl": "jsonl",
};

async function sourceProject(
  taskType: "multilabel" | "multiclass" | "binary",
  classes: string[],
  rows: typeof MULTI_ROWS,
) {
  const { project } = await makeProject(testDb.db, { taskType, classes });
  const jsonl = rows.map((r) => JSON.stringify(r)).join("\n");
  const report = await importText(project.id, jsonl, { format: "jsonl" });
  expect(report.committed).toBe(true);
  return project;
}

const summary = (items: Awaited<ReturnType<typeof itemsWithLabels>>) =>
  items
    .map((i) => ({ text: i.text, labels: i.status === "labeled" ? i.labels : null }))
    .sort((a, b) => a.text.localeCompare(b.text));

describe("export → import round trips keep texts and labels", () => {
  for (const format of Object.keys(detected) as ExportFormat[]) {
    it(`multi-label, unicode, an item labeled with no class, detected format and guessed mapping: ${format}`, async () => {
      const source = await sourceProject("multilabel", MULTI_CLASSES, MULTI_ROWS);
      const file = await exportText({ projectId: source.id, format, includeUnlabeled: true });
      const detection = detectFormat(Buffer.from(file));
      if (format !== "text") expect(detection.format).toBe(detected[format]);

      const { project: target } = await makeProject(testDb.db, { taskType: "multilabel", classes: MULTI_CLASSES });
      const report = await importText(target.id, file, { format: detected[format], delimiter: detection.delimiter });
      expect(report.errors).toEqual([]);
      expect(report.committed).toBe(true);

      const before = await itemsWithLabels(testDb.db, source.id);
      const after = await itemsWithLabels(testDb.db, target.id);
      expect(before.find((i) => i.externalId === "a7")).toMatchObject({ status: "labeled", labels: [] });
      const keepsUnlabeled = !["lamini", "emissary-jsonl", "emissary-csv"].includes(format);
      // Lamini has a line per class and none for an item labeled with no class: the export leaves it out (documented).
      const keepsNoClass = format !== "lamini";
      let expected = summary(before).filter(
        (i) => (keepsUnlabeled || i.labels !== null) && (keepsNoClass || i.labels?.length !== 0),
      );
      if (format === "text")
        expected = expected
          .map((i) => ({ text: i.text.replace(/\s*\n\s*/g, " "), labels: null }))
          .sort((a, b) => a.text.localeCompare(b.text));
      expect(summary(after)).toEqual(expected);
      if (format === "csv" || format === "tsv" || format === "jsonl") {
        expect(after.map((i) => [i.externalId, i.split]).sort()).toEqual(
          before.map((i) => [i.externalId, i.split]).sort(),
        );
      }
      // Every imported label is an `imported` annotation mirrored onto the item.
      for (const item of after.filter((i) => i.status === "labeled")) {
        expect(item.annotations).toEqual([{ origin: "imported", labels: item.labels }]);
        expect(item.origin).toBe("imported");
      }
    });
  }

  it("binary Emissary files name one class and use 0 for the other", async () => {
    const rows = [
      { id: "b1", text: "meow, purr", labels: ["cat"], split: "train" },
      { id: "b2", text: "woof woof", labels: ["dog"], split: "train" },
      { id: "b3", text: "hiss", labels: ["cat"], split: "test" },
    ];
    const source = await sourceProject("binary", ["cat", "dog"], rows);
    const file = await exportText({ projectId: source.id, format: "emissary-jsonl" });
    expect(
      file
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { prompt: "meow, purr", completion: { cat: 1 } },
      { prompt: "woof woof", completion: { cat: 0 } },
      { prompt: "hiss", completion: { cat: 1 } },
    ]);
    const { project: target } = await makeProject(testDb.db, { taskType: "binary", classes: ["cat", "dog"] });
    const report = await importText(target.id, file, { format: "emissary-jsonl" });
    expect(report).toMatchObject({ committed: true, errorCount: 0 });
    expect(summary(await itemsWithLabels(testDb.db, target.id))).toEqual(
      summary(await itemsWithLabels(testDb.db, source.id)),
    );
  });

  it("binary Emissary CSV writes input,expected_output with 1 for the first class and 0 for the other", async () => {
    const rows = [
      { id: "b1", text: "meow, purr", labels: ["cat"], split: "train" },
      { id: "b2", text: 'woof "woof"', labels: ["dog"], split: "train" },
      { id: "b3", text: "hiss", labels: ["cat"], split: "test" },
    ];
    const source = await sourceProject("binary", ["cat", "dog"], rows);
    const file = await exportText({ projectId: source.id, format: "emissary-csv" });
    expect(file).toBe('input,expected_output\n"meow, purr",1\n"woof ""woof""",0\nhiss,1\n');
    expect(detectFormat(Buffer.from(file)).format).toBe("emissary-csv");
    const { project: target } = await makeProject(testDb.db, { taskType: "binary", classes: ["cat", "dog"] });
    const report = await importText(target.id, file, { format: "emissary-csv" });
    expect(report).toMatchObject({ committed: true, errorCount: 0 });
    expect(summary(await itemsWithLabels(testDb.db, target.id))).toEqual(
      summary(await itemsWithLabels(testDb.db, source.id)),
    );
  });

  it("multi-label Emissary CSV writes the JSON object per row", async () => {
    const source = await sourceProject(
      "multilabel",
      ["a", "b"],
      [
        { id: "m1", text: "both", labels: ["a", "b"], split: "train" },
        { id: "m2", text: "only b", labels: ["b"], split: "train" },
      ],
    );
    const file = await exportText({ projectId: source.id, format: "emissary-csv" });
    expect(file).toBe('input,expected_output\nboth,"{""a"":1,""b"":1}"\nonly b,"{""a"":0,""b"":1}"\n');
  });

  it("single-label HF-style JSONL uses one `label` per line", async () => {
    const rows = [
      { id: "s1", text: "stocks fell", labels: ["Business"], split: "train" },
      { id: "s2", text: "a goal in extra time", labels: ["Sports"], split: "train" },
    ];
    const source = await sourceProject("multiclass", ["Business", "Sports"], rows);
    const file = await exportText({ projectId: source.id, format: "hf-jsonl" });
    expect(file).toBe('{"text":"stocks fell","label":"Business"}\n{"text":"a goal in extra time","label":"Sports"}\n');
  });
});
