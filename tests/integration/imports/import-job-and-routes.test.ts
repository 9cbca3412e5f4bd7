import { readFileSync } from "node:fs";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportReport } from "@/server/domain/imports/import-report";
import { handleImport } from "@/worker/handlers/import";
import { createJobContext } from "@/worker/job-context";
import { startWorker } from "@/worker/start-worker";
import { makeProject, makeUser } from "../../helpers/factories";
import { startApiServer, signIn, type ApiServer } from "../../helpers/api-server";
import { createTestDatabaseWithBoss, type TestDatabase } from "../../helpers/test-database";
import { waitFor } from "../../helpers/wait-for";

let testDb: TestDatabase;
let server: ApiServer;
let boss: PgBoss;
let admin: Awaited<ReturnType<typeof signIn>>;
let annotator: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
  server = await startApiServer();
  const a = await makeUser(testDb.db, "admin");
  const b = await makeUser(testDb.db, "annotator");
  admin = await signIn(server.url, a.email, a.password);
  annotator = await signIn(server.url, b.email, b.password);
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/imports");

function upload(projectId: number, body: Buffer | string, cookie: string | undefined, fileName = "data.jsonl") {
  return fetch(`${server.url}/api/projects/${projectId}/imports/upload?fileName=${fileName}`, {
    method: "POST",
    headers: cookie ? { cookie } : {},
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

describe("upload route, preview and the import job", () => {
  it("stores a multi-chunk upload in PostgreSQL, previews it without writing, and imports it in a worker", async () => {
    const { project } = await makeProject(testDb.db, { taskType: "multilabel" });
    // ~3.6 MB: four chunks of at most 1 MB in import_upload_chunk.
    const lines = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({
        id: `r${i}`,
        text: `row number ${i} ${"é".repeat(30)}`,
        labels: i % 3 === 0 ? ["a", "b"] : ["c"],
      }),
    );
    const file = Buffer.from(`${lines.join("\n")}\n`);

    expect((await upload(project.id, file, undefined)).status).toBe(401);
    expect((await upload(project.id, file, annotator.cookie)).status).toBe(403);
    const response = await upload(project.id, file, admin.cookie, "big.jsonl");
    expect(response.status).toBe(201);
    const stored = (await response.json()) as {
      uploadId: string;
      byteSize: number;
      chunkCount: number;
      detected: { format: string };
    };
    expect(stored).toMatchObject({ byteSize: file.length, chunkCount: 4, detected: { format: "jsonl" } });

    const preview = await admin.client.imports.preview.mutate({
      projectId: project.id,
      uploadId: stored.uploadId,
      options: { createMissingClasses: true },
    });
    expect(preview).toMatchObject({
      rows: 30_000,
      validRows: 30_000,
      errorCount: 0,
      dryRun: true,
      committed: false,
      createdClasses: ["c", "a", "b"],
    });
    expect(preview.mapping).toEqual({ text: "text", labels: "labels", id: "id" });
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(0);
    expect(await testDb.db.labelClass.count({ where: { projectId: project.id } })).toBe(0);
    await expect(
      annotator.client.imports.preview.mutate({ projectId: project.id, uploadId: stored.uploadId }),
    ).rejects.toThrow(/Only admins/);

    const run = await admin.client.imports.start.mutate({
      projectId: project.id,
      uploadId: stored.uploadId,
      options: { format: "jsonl", createMissingClasses: true },
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
        () =>
          testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id }, include: { logs: { orderBy: { id: "asc" } } } }),
        (r) => r.state === "completed" || r.state === "failed",
      );
      expect(done.state).toBe("completed");
      expect(done.progress).toBe(1);
      expect(done.result as unknown as ImportReport).toMatchObject({
        committed: true,
        imported: { items: 30_000, labeled: 30_000 },
      });
      expect(done.logs.map((l) => l.message)).toContain("Imported 30,000 items (30,000 labeled); 0 rows skipped");
      // No active version yet: the new items are embedded now, so the first training does not wait for them.
      expect(done.logs.map((l) => l.message)).toContain("Queued embedding of the new items");
      const embed = await waitFor(
        () => testDb.db.jobRun.findFirstOrThrow({ where: { projectId: project.id, type: "embed" } }),
        (r) => r.state === "completed" || r.state === "failed",
      );
      expect([embed.state, embed.result]).toEqual(["completed", { embedded: 30_000 }]);
      const { DEFAULT_DENSE_FEATURIZER_ID } = await import("@/server/featurizers/create-featurizer");
      const [vectors] = await testDb.db.$queryRaw<{ cached: number }[]>`
        SELECT count(*)::int AS cached FROM item i JOIN embedding_cache e ON e.content_hash = i.content_hash AND e.featurizer_id = ${DEFAULT_DENSE_FEATURIZER_ID}
        WHERE i.project_id = ${project.id}`;
      expect(vectors!.cached).toBe(30_000);
    } finally {
      await worker.stop();
    }
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(30_000);
    expect(await testDb.db.annotation.count({ where: { projectId: project.id, origin: "imported" } })).toBe(30_000);
    const after = await testDb.db.importUpload.findUniqueOrThrow({
      where: { id: stored.uploadId },
      include: { _count: { select: { chunks: true } } },
    });
    expect(after.importedAt).toBeInstanceOf(Date);
    expect(after._count.chunks).toBe(0);

    // A redelivered job finds the import done and does not import twice.
    const ctx = createJobContext(testDb.db, boss, run.id, 2);
    const again = (await handleImport(
      {
        projectId: project.id,
        uploadId: stored.uploadId,
        options: {
          format: "jsonl",
          createMissingClasses: true,
          mode: "all-or-nothing",
          hasHeader: true,
          maxTextLength: 100_000,
        },
      },
      ctx,
    )) as unknown as ImportReport;
    expect(again.imported.items).toBe(30_000);
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(30_000);
  });

  it("recomputes the Overview's statistics after an import in the worker, without any page asking", async () => {
    const { project, classes } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const lines = [
      '{"text": "first text", "label": "a"}',
      '{"text": "second text", "label": "b"}',
      '{"text": "third text", "label": "a"}',
      '{"text": "fourth text"}',
    ];
    const stored = (await (await upload(project.id, lines.join("\n"), admin.cookie, "four.jsonl")).json()) as {
      uploadId: string;
    };
    const run = await admin.client.imports.start.mutate({
      projectId: project.id,
      uploadId: stored.uploadId,
      options: { format: "jsonl" },
    });
    const statsRuns = () => testDb.db.jobRun.findMany({ where: { projectId: project.id, type: "project-stats" } });
    expect(await statsRuns()).toEqual([]);
    const worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: () => undefined,
    });
    try {
      await waitFor(
        () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.id } }),
        (r) => r.state === "completed" || r.state === "failed",
      );
      const [stats] = await waitFor(
        statsRuns,
        (runs) => runs.length > 0 && runs.every((r) => r.state === "completed" || r.state === "failed"),
      );
      expect(stats).toMatchObject({ state: "completed", createdById: null });
    } finally {
      await worker.stop();
    }
    expect(await statsRuns()).toHaveLength(1);
    const project_ = await testDb.db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(project_.stats).toMatchObject({
      items: 4,
      byStatus: { labeled: 3, unlabeled: 1, skipped: 0 },
      perClass: [
        { classId: classes[0]!.id, name: "a", items: 2 },
        { classId: classes[1]!.id, name: "b", items: 1 },
      ],
    });
  });

  it("names the line where an unclosed quote opened, not the line where the parser gave up, in the preview and the job", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    // The quote opens on line 3; csv-parse only notices at the end of the file (line 5) and says so.
    const csv = [
      "text,label",
      "first text,a",
      '"second text, never closed,b',
      "third text,a",
      "fourth text,b",
      "",
    ].join("\n");
    const stored = (await (await upload(project.id, csv, admin.cookie, "unclosed.csv")).json()) as { uploadId: string };
    const expected = {
      line: 3,
      column: "text",
      reason: "malformed_csv",
      message:
        'The quote that opens the first field ("text") on line 3 is never closed, so the rest of the file was read as one field: close it (a quote inside a quoted field is written "")',
    };
    const preview = await admin.client.imports.preview.mutate({
      projectId: project.id,
      uploadId: stored.uploadId,
      options: { mode: "valid-rows" },
    });
    expect(preview).toMatchObject({ rows: 2, validRows: 1, errorCount: 1 });
    expect(preview.errors).toEqual([expected]);

    const run = await admin.client.imports.start.mutate({
      projectId: project.id,
      uploadId: stored.uploadId,
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
        imported: { items: 1 },
        errorCount: 1,
        errors: [expected],
      });
    } finally {
      await worker.stop();
    }
    expect((await testDb.db.item.findMany({ where: { projectId: project.id } })).map((i) => i.text)).toEqual([
      "first text",
    ]);
  });

  it("queues the follow-up embedding when a redelivered import finds its rows committed but no follow-up (a crash in between)", async () => {
    const { runImport } = await import("@/server/domain/imports/run-import");
    const { uploadChunks } = await import("@/server/domain/imports/read-upload");
    const { pgPool } = await import("@/server/pg-pool");
    const { project } = await makeProject(testDb.db, { classes: ["a", "b"] });
    const stored = (await (
      await upload(
        project.id,
        ['{"text": "first text", "label": "a"}', '{"text": "second text", "label": "b"}'].join("\n"),
        admin.cookie,
        "two.jsonl",
      )
    ).json()) as { uploadId: string };
    const options = {
      format: "jsonl" as const,
      mode: "all-or-nothing" as const,
      hasHeader: true,
      maxTextLength: 100_000,
      createMissingClasses: false,
    };
    // The first attempt commits its rows and dies before queueing anything.
    const report = await runImport(pgPool(), {
      projectId: project.id,
      userId: null,
      uploadId: stored.uploadId,
      options,
      source: uploadChunks(testDb.db, stored.uploadId, () => undefined),
    });
    expect(report).toMatchObject({ committed: true, imported: { items: 2 } });
    expect(await testDb.db.jobRun.count({ where: { projectId: project.id, type: { in: ["embed", "score"] } } })).toBe(
      0,
    );
    // pg-boss redelivers the job.
    const run = await testDb.db.jobRun.create({
      data: {
        type: "import",
        state: "running",
        projectId: project.id,
        payload: { version: 1, data: { projectId: project.id, uploadId: stored.uploadId } },
      },
    });
    const ctx = createJobContext(testDb.db, boss, run.id, 2);
    await handleImport({ projectId: project.id, uploadId: stored.uploadId, options }, ctx);
    expect(await testDb.db.jobRun.count({ where: { projectId: project.id, type: "embed" } })).toBe(1);
    // A further redelivery sees the follow-up and does not queue another.
    await handleImport({ projectId: project.id, uploadId: stored.uploadId, options }, ctx);
    expect(await testDb.db.jobRun.count({ where: { projectId: project.id, type: { in: ["embed", "score"] } } })).toBe(
      1,
    );
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(2);
  });

  it("previews inline content with format detection", async () => {
    const { project } = await makeProject(testDb.db, {
      taskType: "multilabel",
      classes: ["battery", "support", "shipping"],
    });
    const content = readFileSync(path.join(FIXTURES, "emissary-multilabel.jsonl"), "utf8");
    const preview = await admin.client.imports.preview.mutate({
      projectId: project.id,
      content,
      fileName: "reviews.jsonl",
    });
    expect(preview.detected).toMatchObject({ format: "emissary-jsonl" });
    expect(preview.sample.map((s) => s.labels)).toEqual([["battery", "support"], ["shipping"], ["battery"]]);
    await expect(admin.client.imports.preview.mutate({ projectId: project.id })).rejects.toThrow(
      /Send either content or uploadId/,
    );
  });
});

describe("GET /api/projects/{id}/export", () => {
  it("streams the filtered export to admins only", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["ham", "spam"] });
    const csv = readFileSync(path.join(FIXTURES, "sms-spam-sample.csv"));
    const { runImport } = await import("@/server/domain/imports/run-import");
    const { pgPool } = await import("@/server/pg-pool");
    const { streamOf } = await import("../../helpers/import-helpers");
    await runImport(pgPool(), {
      projectId: project.id,
      userId: null,
      source: streamOf(csv),
      options: { format: "csv" },
    });
    const spamCount = csv
      .toString("utf8")
      .split("\n")
      .filter((l) => l.endsWith(",spam")).length;

    const url = `${server.url}/api/projects/${project.id}/export?format=jsonl&origins=imported&classIds=${(await testDb.db.labelClass.findFirstOrThrow({ where: { projectId: project.id, name: "spam" } })).id}`;
    const response = await fetch(url, { headers: { cookie: admin.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="project-[0-9a-f]+-jsonl\.jsonl"$/,
    );
    const rows = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { labels: string[]; origin: string });
    expect(rows.length).toBe(spamCount);
    expect(rows.every((r) => r.labels.join() === "spam" && r.origin === "imported")).toBe(true);

    expect(
      await (
        await fetch(url.replace("origins=imported", "origins=human"), { headers: { cookie: admin.cookie } })
      ).text(),
    ).toBe("");
    expect((await fetch(url, { headers: { cookie: annotator.cookie } })).status).toBe(403);
    expect((await fetch(url)).status).toBe(401);
    const bad = await fetch(`${server.url}/api/projects/${project.id}/export?format=xml`, {
      headers: { cookie: admin.cookie },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("INVALID_INPUT");
    expect(
      (await fetch(`${server.url}/api/projects/999999/export?format=csv`, { headers: { cookie: admin.cookie } }))
        .status,
    ).toBe(404);
  });
});

describe("stale uploads", () => {
  it("deletes imported, abandoned and unused uploads after their retention, never one an import job still needs", async () => {
    const { deleteStaleUploads } = await import("@/server/domain/imports/delete-stale-uploads");
    const { project } = await makeProject(testDb.db);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const make = (name: string, data: { createdAt: Date; completedAt?: Date | null; importedAt?: Date | null }) =>
      testDb.db.importUpload.create({
        data: {
          projectId: project.id,
          fileName: name,
          byteSize: 10,
          chunkCount: 1,
          ...data,
          chunks: { create: { seq: 0, data: new Uint8Array(10) } },
        },
      });
    const importedOld = await make("imported-old", {
      createdAt: hoursAgo(30),
      completedAt: hoursAgo(30),
      importedAt: hoursAgo(25),
    });
    const importedNew = await make("imported-new", {
      createdAt: hoursAgo(2),
      completedAt: hoursAgo(2),
      importedAt: hoursAgo(1),
    });
    const abandoned = await make("abandoned", { createdAt: hoursAgo(30) });
    const uploading = await make("uploading", { createdAt: hoursAgo(1) });
    const unusedOld = await make("unused-old", { createdAt: hoursAgo(200), completedAt: hoursAgo(200) });
    const unusedRecent = await make("unused-recent", { createdAt: hoursAgo(48), completedAt: hoursAgo(48) });
    const queued = await make("queued", { createdAt: hoursAgo(200), completedAt: hoursAgo(200) });
    await testDb.db.jobRun.create({
      data: {
        type: "import",
        state: "queued",
        projectId: project.id,
        payload: { version: 1, data: { projectId: project.id, uploadId: queued.id } },
      },
    });

    // Other projects' uploads may exist in this database: count only this test's.
    const before = await testDb.db.importUploadChunk.count({ where: { upload: { projectId: project.id } } });
    await deleteStaleUploads(testDb.db);
    const left = (await testDb.db.importUpload.findMany({ where: { projectId: project.id }, select: { id: true } }))
      .map((u) => u.id)
      .sort();
    expect(left).toEqual([importedNew.id, uploading.id, unusedRecent.id, queued.id].sort());
    expect(await testDb.db.importUploadChunk.count({ where: { upload: { projectId: project.id } } })).toBe(before - 3);
    expect([importedOld.id, abandoned.id, unusedOld.id].some((id) => left.includes(id))).toBe(false);
  });
});
