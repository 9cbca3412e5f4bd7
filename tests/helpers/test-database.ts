import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import type PgBoss from "pg-boss";
import { createDb, type Db } from "@/server/db";
import { removeBlockFiles } from "@/server/domain/embeddings/vector-block-file";
import { createBoss, startBossWithQueues } from "@/server/jobs/boss";

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file, cloned from the template made in global setup. It also becomes
 * the process's DATABASE_URL so that app code (auth, jobs, routers) runs against it exactly as in production.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminUrl");
  const template = inject("templateDatabase");
  const name = `margin_test_${randomBytes(5).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
  resetProcessSingletons();
  const db = createDb(url.toString());
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.$disconnect();
      await ((globalThis as Record<string, unknown>).marginPgPool as pg.Pool | undefined)?.end();
      resetProcessSingletons();
      await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await removeBlockFiles(name);
    },
  };
}

/** A test database and a started pg-boss client on it (queues created); the database's `drop` stops the client first. */
export async function createTestDatabaseWithBoss(): Promise<{ testDb: TestDatabase; boss: PgBoss }> {
  const testDb = await createTestDatabase();
  const boss = createBoss(testDb.url, { worker: false });
  await startBossWithQueues(boss, testDb.url);
  return { testDb: stopBeforeDrop(testDb, () => boss.stop({ graceful: false, wait: true })), boss };
}

/** The same database whose `drop` first stops something that uses it (a pg-boss client, a server). */
export function stopBeforeDrop(testDb: TestDatabase, stop: () => Promise<void>): TestDatabase {
  return {
    ...testDb,
    async drop() {
      await stop();
      await testDb.drop();
    },
  };
}

/** Forget the process-wide Prisma client, auth and pg-boss handles so they reconnect to this file's database. */
function resetProcessSingletons() {
  const g = globalThis as Record<string, unknown>;
  for (const key of ["marginDb", "marginAuth", "marginBoss", "marginPgPool"]) delete g[key];
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
