import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, defaultMigrationsDir } from "@/server/database/apply-migrations";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  it("records every migration the way prisma migrate does (sha256 checksum, finished, one step)", async () => {
    const names = (await readdir(defaultMigrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(names.length).toBeGreaterThan(0);
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = await readFile(path.join(defaultMigrationsDir, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("is idempotent: a second run applies nothing", async () => {
    const result = await applyMigrations(testDb.url);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBeGreaterThan(0);
  });

  it("creates the tables and the indexes the queue and lists rely on", async () => {
    const tables = (
      await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
    ).map((r) => r.tablename);
    for (const table of [
      "user",
      "session",
      "account",
      "project",
      "label_class",
      "item",
      "annotation",
      "embedding_cache",
      "model_version",
      "prediction",
      "job_run",
      "job_log",
      "audit_log",
      "api_key",
      "llm_cache",
    ]) {
      expect(tables).toContain(table);
    }
    const indexes = (
      await query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`)
    ).map((r) => r.indexdef);
    expect(indexes.some((d) => d.includes("prediction") && d.includes("priority DESC"))).toBe(true);
    expect(indexes.some((d) => d.includes("USING gin") && d.includes("label_class_ids"))).toBe(true);
    expect(indexes.some((d) => d.includes("UNIQUE") && d.includes("item") && d.includes("content_hash"))).toBe(true);
  });

  it("rolls back a failing migration completely and reports which one failed", async () => {
    const { mkdtemp, mkdir, writeFile, cp } = await import("node:fs/promises");
    const os = await import("node:os");
    const dir = await mkdtemp(path.join(os.tmpdir(), "margin-mig-"));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, "99990101000000_broken"));
    await writeFile(
      path.join(dir, "99990101000000_broken", "migration.sql"),
      `CREATE TABLE "half_done" (id int);\nSELECT no_such_function();\n`,
    );
    await expect(applyMigrations(testDb.url, { migrationsDir: dir })).rejects.toThrow(
      /99990101000000_broken failed and was rolled back/,
    );
    const leftovers = await query(`SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`);
    expect(leftovers).toHaveLength(0);
    const recorded = await query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`);
    expect(recorded).toHaveLength(0);
  });

  it("makes every existing annotator a member of every existing project when membership arrives (admins need no rows)", async () => {
    const { mkdtemp, cp } = await import("node:fs/promises");
    const os = await import("node:os");
    const membership = (await readdir(defaultMigrationsDir)).find((name) => name.endsWith("_project_membership"));
    expect(membership).toBeDefined();
    // An installation from before membership: the migrations up to it, in a schema of its own, with data.
    const before = await mkdtemp(path.join(os.tmpdir(), "margin-mig-"));
    await cp(defaultMigrationsDir, before, {
      recursive: true,
      filter: (src) => (path.relative(defaultMigrationsDir, src).split(path.sep)[0] ?? "") < membership!,
    });
    await query(`CREATE SCHEMA before_membership`);
    await applyMigrations(testDb.url, { migrationsDir: before, schema: "before_membership" });
    const q = (sql: string) => query(`SET search_path TO before_membership; ${sql}`);
    await q(`INSERT INTO "user" (id, name, email, role, updated_at) VALUES
      ('ann', 'Ann', 'ann@x.test', 'annotator', now()), ('bob', 'Bob', 'bob@x.test', 'annotator', now()), ('ada', 'Ada', 'ada@x.test', 'admin', now())`);
    await q(
      `INSERT INTO project (id, name, featurizer_id, updated_at) VALUES (1, 'One', 'glove-sif-200@1', now()), (2, 'Two', 'glove-sif-200@1', now())`,
    );

    expect((await applyMigrations(testDb.url, { schema: "before_membership" })).applied).toContain(membership);
    const client = new pg.Client({ connectionString: testDb.url, options: "-c search_path=before_membership" });
    await client.connect();
    try {
      const rows = (
        await client.query<{ project_id: number; user_id: string }>(
          `SELECT project_id, user_id FROM project_member ORDER BY project_id, user_id`,
        )
      ).rows;
      expect(rows.map((r) => `${r.project_id}:${r.user_id}`)).toEqual(["1:ann", "1:bob", "2:ann", "2:bob"]);
    } finally {
      await client.end();
    }
  });
});
