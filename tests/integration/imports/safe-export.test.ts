import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject, makeUser } from "../../helpers/factories";
import { exportText } from "../../helpers/export-helpers";
import { importText, itemsWithLabels } from "../../helpers/import-helpers";
import { startApiServer, signIn, type ApiServer } from "../../helpers/api-server";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;
let projectId: number;
const dir = mkdtempSync(path.join(tmpdir(), "margin-safe-export-"));

// Texts (and a class name) that a spreadsheet would run as formulas, and their neighbours.
const CLASSES = ["=evil()", "ok"];
const ROWS = [
  { text: "=cmd|' /C calc'!A0", label: "ok" },
  { text: "+SUM(1+1)", label: "ok" },
  { text: "@SUM(1)", label: "=evil()" },
  { text: "-1 point", label: "ok" },
  { text: "\tstarts with a tab", label: "ok" },
  { text: "'=was already quoted", label: "ok" },
  { text: "'just an apostrophe", label: "ok" },
  { text: "plain = text", label: "=evil()" },
];

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startApiServer();
  const { project } = await makeProject(testDb.db, { name: "Formulas", classes: CLASSES });
  projectId = project.id;
  // JSONL: a CSV import would already remove the ' of "'=was already quoted" (see unguardCell).
  const jsonl = ROWS.map((r) => JSON.stringify(r)).join("\n");
  expect(
    await importText(projectId, jsonl, { format: "jsonl", mapping: { text: "text", labels: "label" } }),
  ).toMatchObject({ committed: true, imported: { items: ROWS.length } });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
  await testDb.drop();
});

const cellsOf = (file: string) => file.trim().split("\n").slice(1);

describe("CSV/TSV exports and spreadsheet formulas", () => {
  it("neutralizes formula cells by default and writes them verbatim when asked", async () => {
    const safe = await exportText({ projectId, format: "csv" });
    expect(safe).toContain(",'=cmd|' /C calc'!A0,ok,");
    expect(safe).toContain(",'+SUM(1+1),ok,");
    expect(safe).toContain(",'@SUM(1),'=evil(),");
    expect(safe).toContain(",'-1 point,ok,");
    expect(safe).toContain(`,'\tstarts with a tab,ok,`);
    expect(safe).toContain(",''=was already quoted,ok,");
    expect(safe).toContain(",'just an apostrophe,ok,");
    expect(safe).toContain(",plain = text,'=evil(),");
    for (const line of cellsOf(safe))
      expect(
        line
          .split(",")
          .slice(1)
          .every((cell) => !/^"?[=+\-@\t\r]/.test(cell)),
      ).toBe(true);

    const raw = await exportText({ projectId, format: "csv", neutralizeFormulas: false });
    expect(raw).toContain(",=cmd|' /C calc'!A0,ok,");
    expect(raw).toContain(",@SUM(1),=evil(),");
    const tsv = await exportText({ projectId, format: "tsv" });
    expect(tsv).toContain("\t'+SUM(1+1)\tok\t");
    expect(tsv).toContain(`\t"'\tstarts with a tab"\tok\t`);
    const emissary = await exportText({ projectId, format: "emissary-csv" });
    expect(emissary).toContain("'=cmd|' /C calc'!A0,");
  });

  it("re-imports a neutralized export to the same texts and labels", async () => {
    for (const format of ["csv", "tsv"] as const) {
      const { project: copy } = await makeProject(testDb.db, { classes: CLASSES });
      const file = await exportText({ projectId, format });
      const report = await importText(copy.id, file, {
        format,
        mapping: { text: "text", labels: "label", labelSeparator: "|", split: "split" },
      });
      expect(report).toMatchObject({ committed: true, errorCount: 0 });
      const items = await itemsWithLabels(testDb.db, copy.id);
      expect(items.map((i) => [i.text, i.labels])).toEqual(ROWS.map((r) => [r.text, [r.label]]));
    }
  });

  it("takes the option on the HTTP export route and in `margin export`", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const { cookie } = await signIn(server.url, admin.email, admin.password);
    const get = async (query: string) =>
      (await fetch(`${server.url}/api/projects/${projectId}/export?${query}`, { headers: { cookie } })).text();
    expect(await get("format=csv")).toContain(",'+SUM(1+1),");
    expect(await get("format=csv&neutralizeFormulas=false")).toContain(",+SUM(1+1),");

    const cli = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [
            path.resolve(import.meta.dirname, "../../../bin/margin"),
            "export",
            "--project",
            "Formulas",
            "--format",
            "csv",
            ...args,
          ],
          {
            env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", DATABASE_URL: testDb.url },
            timeout: 120_000,
          },
          (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }),
        ),
      );
    const guarded = path.join(dir, "guarded.csv");
    const verbatim = path.join(dir, "verbatim.csv");
    expect(await cli(["--out", guarded])).toMatchObject({ code: 0 });
    expect(await cli(["--out", verbatim, "--no-neutralize-formulas"])).toMatchObject({ code: 0 });
    expect(readFileSync(guarded, "utf8")).toContain(",'@SUM(1),'=evil(),");
    expect(readFileSync(verbatim, "utf8")).toContain(",@SUM(1),=evil(),");
  });
});
