import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "@/server/database/apply-migrations";
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/server/database/embedded-postgres";

export interface OwnPostgres {
  /** The migrated `margin` database. */
  url: string;
  /** Stops the server (fast shutdown: open connections get 57P01), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster that belongs to one test (not the shared test server), so the test can stop and restart it
 * under running processes: its own port and data folder under the OS temp folder.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "margin-own-pg-"));
  const dataDir = path.join(dir, "data");
  const port = await findFreePort();
  let cluster: EmbeddedDatabase | undefined = await startEmbeddedPostgres({
    dataDir,
    port,
    persistent: true,
    notice: () => undefined,
  });
  await cluster.createDatabaseIfMissing("margin");
  const url = cluster.url("margin");
  await applyMigrations(url);
  return {
    url,
    async stop() {
      await cluster?.stop();
      cluster = undefined;
    },
    async start() {
      cluster ??= await startEmbeddedPostgres({ dataDir, port, persistent: true, notice: () => undefined });
    },
    async destroy() {
      await cluster?.stop();
      cluster = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
