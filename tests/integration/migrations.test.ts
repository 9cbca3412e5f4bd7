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
    const names = (await readdir(defaultMigrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(names.length).toBeGreaterThan(0);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
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
    const tables = (await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((r) => r.tablename);
    for (const table of ["user", "session", "account", "project", "label_class", "item", "annotation", "embedding_cache", "model_version", "prediction", "job_run", "job_log", "audit_log", "api_key", "llm_cache"]) {
      expect(tables).toContain(table);
    }
    const indexes = (await query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`)).map((r) => r.indexdef);
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
    await writeFile(path.join(dir, "99990101000000_broken", "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT no_such_function();\n`);
    await expect(applyMigrations(testDb.url, { migrationsDir: dir })).rejects.toThrow(/99990101000000_broken failed and was rolled back/);
    const leftovers = await query(`SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`);
    expect(leftovers).toHaveLength(0);
    const recorded = await query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`);
    expect(recorded).toHaveLength(0);
  });
});
