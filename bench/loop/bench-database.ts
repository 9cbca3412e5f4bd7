import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "@/server/database/apply-migrations";
import { startEmbeddedPostgres } from "@/server/database/embedded-postgres";
import { removeBlockFiles } from "@/server/domain/embeddings/vector-block-file";

export interface BenchDatabase {
  url: string;
  /** Server version, for the report. */
  server: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own: on the server named by DATABASE_URL when set (dropped afterwards), else
 * on an embedded PostgreSQL in a temporary folder (removed afterwards).
 */
export async function createBenchDatabase(adminUrlFromEnv: string | undefined): Promise<BenchDatabase> {
  let tempDir: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let adminUrl = adminUrlFromEnv;
  if (!adminUrl) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), "margin-bench-pg-"));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "data"), persistent: false });
    adminUrl = embedded.adminUrl;
    stopEmbedded = () => embedded.stop();
  }
  const name = `margin_bench_${randomBytes(4).toString("hex")}`;
  await admin(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const server = await admin(url.toString(), "SHOW server_version");
  return {
    url: url.toString(),
    server: String((server.rows[0] as { server_version?: string } | undefined)?.server_version ?? "?"),
    async drop() {
      await admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await removeBlockFiles(name); // the scorer's block files of this database

      await stopEmbedded?.();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
