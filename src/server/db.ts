import { PrismaPg } from "@prisma/adapter-pg";
import { env, requireDatabaseUrl } from "@/env";
import { PrismaClient, type Prisma } from "@/generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
/** Domain functions take this so that they compose inside `db.$transaction`. */
export type DbOrTx = Db | Tx;

export function createDb(connectionString: string, options: { poolSize?: number } = {}): Db {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: options.poolSize ?? env().DB_POOL_SIZE }),
    // Prisma's defaults (2 s to get a connection, 5 s per transaction) fail requests on a briefly overloaded
    // machine; these still bound a stuck transaction.
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
}

const globalForDb = globalThis as unknown as { marginDb?: Db };

/** The process's one Prisma client (a connection pool, not state: everything lives in PostgreSQL). */
export function db(): Db {
  globalForDb.marginDb ??= createDb(requireDatabaseUrl());
  return globalForDb.marginDb;
}
