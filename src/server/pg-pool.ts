import pg from "pg";
import { requireDatabaseUrl } from "@/env";

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export function createPgPool(connectionString: string, max = 4): PgPool {
  const pool = new pg.Pool({ connectionString, max, application_name: "margin-bulk" });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool replaces it.
  pool.on("error", (error) => console.error(`[pg] idle connection lost: ${error.message}`));
  return pool;
}

const globalForPg = globalThis as unknown as { marginPgPool?: PgPool };

/**
 * A small plain `pg` pool beside Prisma for bulk work that Prisma does slowly: multi-row staging inserts, set-based
 * validation in temporary tables and streamed exports. Same database, same DATABASE_URL.
 */
export function pgPool(): PgPool {
  globalForPg.marginPgPool ??= createPgPool(requireDatabaseUrl());
  return globalForPg.marginPgPool;
}

/** Runs `fn` in one transaction on one connection; any error rolls everything back. */
export async function withPgTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
