import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/server/database/apply-migrations";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/server/database/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** A connection string with CREATEDB rights; each test file creates its own database from the template. */
    adminUrl: string;
    templateDatabase: string;
  }
}

/**
 * Integration tests run on real PostgreSQL: the server named by DATABASE_URL (CI) or, without it, an embedded
 * PostgreSQL started here in a temporary folder. Migrations are applied once to a template database that every
 * test file clones (CREATE DATABASE … TEMPLATE is fast), so files are isolated and can run in parallel.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let tempDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), "margin-test-pg-"));
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "data"), persistent: false });
    adminUrl = embedded.adminUrl;
  }
  const templateDatabase = `margin_template_${process.pid}_${Date.now().toString(36)}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE "${templateDatabase}"`));
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await applyMigrations(templateUrl.toString());

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${templateDatabase}" WITH (FORCE)`));
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
