import { gzipSync } from "node:zlib";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportReport } from "@/server/domain/imports/import-report";
import { startWorker } from "@/worker/start-worker";
import { makeProject, makeUser } from "../../helpers/factories";
import { importText } from "../../helpers/import-helpers";
import { startApiServer, signIn, type ApiServer } from "../../helpers/api-server";
import { createTestDatabaseWithBoss, type TestDatabase } from "../../helpers/test-database";
import { waitFor } from "../../helpers/wait-for";

// Files with bytes PostgreSQL cannot store, absurd nesting or compression: row or file errors, never a 500, and
// valid-rows mode imports what is good.
let testDb: TestDatabase;
let server: ApiServer;
let boss: PgBoss;
let admin: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
  server = await startApiServer();
  const a = await makeUser(testDb.db, "admin");
  admin = await signIn(server.url, a.email, a.password);
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

function upload(projectId: number, body: Buffer | string, fileName: string) {
  return fetch(`${server.url}/api/projects/${projectId}/imports/upload?fileName=${fileName}`, {
    method: "POST",
    headers: { cookie: admin.cookie },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

async function uploaded(projectId: number, body: Buffer | string, fileName: string) {
  const response = await upload(projectId, body, fileName);
  expect(response.status).toBe(201);
  return (await response.json()) as { uploadId: string; detected: { format: string } };
}

const texts = async (projectId: number) =>
  (await testDb.db.item.findMany({ where: { projectId }, orderBy: { id: "asc" } })).map((i) => i.text);

describe("bytes PostgreSQL cannot store", () => {
  it("imports the issue's NUL file in valid-rows mode through the job, with a bad_encoding row error", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["pos", "neg"] });
    // printf 'text,label\nnul\0byte,pos\nok,neg\n'
    const file = Buffer.from("text,label\nnul\0byte,pos\nok,neg\n", "latin1");
    const { uploadId } = await uploaded(project.id, file, "nul.csv");
    const preview = await admin.client.imports.preview.mutate({ projectId: project.id, uploadId });
    expect(preview).toMatchObject({ rows: 2, validRows: 1, errorCount: 1, errorsByReason: { bad_encoding: 1 } });
    expect(preview.errors[0]).toMatchObject({ line: 2, reason: "bad_encoding" });
    expect(preview.sample.map((s) => s.text)).toEqual(["ok"]);

    const run = await admin.client.imports.start.mutate({
      projectId: project.id,
      uploadId,
      options: { format: "csv", mode: "valid-rows" },
    });
    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: () => undefined,
    });
    try {
      const done = await waitFor(
        () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
        (r) => r.state === "completed" || r.state === "failed",
      );
      expect(done.state).toBe("completed");
      expect(done.result as unknown as ImportReport).toMatchObject({
        committed: true,
        imported: { items: 1, labeled: 1 },
        errorsByReason: { bad_encoding: 1 },
      });
    } finally {
      await worker.stop();
    }
    expect(await texts(project.id)).toEqual(["ok"]);
    // A NUL in a column name makes every row's metadata unstorable; the report still quotes the header, made storable.
    const header = await importText(project.id, Buffer.from("text,no\0te\nanother,x\n", "latin1"), {
      format: "csv",
      mode: "valid-rows",
    });
    expect(header).toMatchObject({ columns: ["text", "no\uFFFDte"], errorsByReason: { bad_encoding: 1 } });
    const stored = await testDb.db.importUpload.findUniqueOrThrow({ where: { id: uploadId } });
    expect(stored.importedAt).not.toBeNull();
    expect(boss).toBeDefined();
  });

  it("refuses NUL and unpaired surrogates anywhere in a JSON row, and all-or-nothing rolls back cleanly", async () => {
    const { project } = await makeProject(testDb.db);
    const jsonl = [
      String.raw`{"text":"lone \ud800 high"}`,
      String.raw`{"text":"lone \udc00 low"}`,
      String.raw`{"text":"fine","meta":{"note":"nul \u0000 here"}}`,
      String.raw`{"text":"fine too","id":"x\u0000"}`,
      String.raw`{"text":"a real pair \ud83d\ude00"}`,
      String.raw`{"text":"plain","meta":{"k\ud800":1}}`,
    ].join("\n");
    const strict = await importText(project.id, jsonl, { format: "jsonl", mapping: { text: "text", id: "id" } });
    expect(strict).toMatchObject({ committed: false, errorCount: 5, errorsByReason: { bad_encoding: 5 } });
    const report = await importText(project.id, jsonl, {
      format: "jsonl",
      mapping: { text: "text", id: "id" },
      mode: "valid-rows",
    });
    expect(report).toMatchObject({ committed: true, rows: 6, validRows: 1, imported: { items: 1, labeled: 0 } });
    expect(report.errors.map((e) => [e.line, e.reason])).toEqual([
      [1, "bad_encoding"],
      [2, "bad_encoding"],
      [3, "bad_encoding"],
      [4, "bad_encoding"],
      [6, "bad_encoding"],
    ]);
    expect(await texts(project.id)).toEqual(["a real pair 😀"]);
  });
});

describe("deep nesting", () => {
  it("answers 10,000-deep JSON with a too_deeply_nested row error in preview, and imports the other rows", async () => {
    const { project } = await makeProject(testDb.db);
    const deep = `{"text":"deep","meta":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const { uploadId } = await uploaded(
      project.id,
      `{"text":"shallow","meta":{"a":[1,{"b":2}]}}\n${deep}\n`,
      "deep.jsonl",
    );
    const preview = await admin.client.imports.preview.mutate({ projectId: project.id, uploadId });
    expect(preview).toMatchObject({ rows: 2, validRows: 1, errorsByReason: { too_deeply_nested: 1 } });
    expect(preview.errors[0]).toMatchObject({
      line: 2,
      reason: "too_deeply_nested",
      message: "The JSON nests deeper than 64 levels",
    });
    // An Emissary CSV completion cell is JSON too.
    const { project: binary } = await makeProject(testDb.db, { classes: ["yes", "no"], taskType: "binary" });
    const csv = `prompt,completion\nhello,"${`{""a"":`.repeat(5_000)}1${"}".repeat(5_000)}"\nbye,1\n`;
    const emissary = await importText(binary.id, csv, { format: "emissary-csv", mode: "valid-rows" });
    expect(emissary).toMatchObject({
      committed: true,
      imported: { items: 1 },
      errorsByReason: { too_deeply_nested: 1 },
    });
  });
});

describe("compressed files", () => {
  it("decompresses a .gz upload while streaming, for detection, preview and the import", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["pos", "neg"] });
    const csv = `text,label\n${Array.from({ length: 3000 }, (_, i) => `row ${i} ${"x".repeat(50)},${i % 2 ? "pos" : "neg"}`).join("\n")}\n`;
    const { uploadId, detected } = await uploaded(project.id, gzipSync(csv), "data.csv.gz");
    expect(detected.format).toBe("csv");
    const preview = await admin.client.imports.preview.mutate({ projectId: project.id, uploadId });
    expect(preview).toMatchObject({ format: "csv", rows: 3000, validRows: 3000, errorCount: 0 });
    const report = await importText(project.id, gzipSync(csv), { format: "csv" });
    expect(report).toMatchObject({ committed: true, imported: { items: 3000, labeled: 3000 } });
  });

  it("transcodes a UTF-16 upload across its stored chunks, for detection, preview and the import; refuses an image", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["pos", "neg"] });
    // Over 1 MB as UTF-16, so the upload spans stored chunks and characters are split between them.
    const tsv = `text\tlabel\r\n${Array.from({ length: 9000 }, (_, i) => `ligne ${i} café 😀 ${"é".repeat(40)}\t${i % 2 ? "pos" : "neg"}`).join("\r\n")}\r\n`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, "utf16le")]);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const { uploadId, detected } = await uploaded(project.id, bytes, "excel-unicode.txt");
    expect(detected).toMatchObject({ format: "tsv", delimiter: "\t" });
    const preview = await admin.client.imports.preview.mutate({ projectId: project.id, uploadId });
    expect(preview).toMatchObject({
      format: "tsv",
      columns: ["text", "label"],
      rows: 9000,
      validRows: 9000,
      errorCount: 0,
    });
    expect(preview.sample[0]!.text).toBe(`ligne 0 café 😀 ${"é".repeat(40)}`);
    const report = await importText(project.id, bytes, { format: "tsv" });
    expect(report).toMatchObject({ committed: true, imported: { items: 9000, labeled: 9000 } });

    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const response = await upload(project.id, png, "chart.csv");
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /^The file is a PNG image, not text: .*Save or export it as CSV or JSON lines/,
    );
  });

  it("says so for a damaged gzip file and refuses other compressed formats by their magic bytes", async () => {
    const { project } = await makeProject(testDb.db);
    const truncated = gzipSync(`text\n${"hello world\n".repeat(20_000)}`).subarray(0, 200);
    const { uploadId } = await uploaded(project.id, truncated, "cut.txt.gz");
    await expect(admin.client.imports.preview.mutate({ projectId: project.id, uploadId })).rejects.toThrow(
      /gzip file is damaged or truncated/,
    );

    const formats: [string, Buffer, RegExp][] = [
      ["data.zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 1, 2, 3]), /ZIP archive/],
      ["data.csv.bz2", Buffer.from("BZh91AY&SY\u0001\u0002", "latin1"), /bzip2/],
      ["data.csv.xz", Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), /xz/],
      ["data.csv.zst", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]), /zstd/],
    ];
    for (const [name, bytes, message] of formats) {
      const response = await upload(project.id, bytes, name);
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(message);
      expect(body.error.message).toMatch(/gzip/);
      await expect(importText(project.id, bytes, { format: "text" })).rejects.toThrow(message);
    }
    expect(await testDb.db.importUpload.count({ where: { projectId: project.id } })).toBe(1);
  });
});

describe("file names", () => {
  it("answers a control character in the upload's file name with 400", async () => {
    const { project } = await makeProject(testDb.db);
    for (const name of ["bad%00name.csv", "tab%09.csv", "new%0Aline.csv"]) {
      const response = await upload(project.id, "text\nhello\n", name);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: "INVALID_INPUT", message: expect.stringMatching(/control character/) },
      });
    }
    expect(await testDb.db.importUpload.count({ where: { projectId: project.id } })).toBe(0);
  });
});
