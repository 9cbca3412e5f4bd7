import type { Db, Tx } from "@/server/db";
import { AppError } from "@/server/errors";

/** How long an items-table query may run when it searches text (no trigram index: ILIKE reads rows until a page fills). */
export const SEARCH_TIMEOUT_MS = 8_000;

/**
 * Runs the queries of one items-table request in a read transaction. A text search that matches rarely can read every
 * row of a large project, so it runs under a statement timeout and a clear message replaces PostgreSQL's cancel.
 */
export async function withSearchTimeout<T>(db: Db, searching: boolean, run: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      if (searching) await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`);
      return run(tx);
    });
  } catch (error) {
    if (/statement timeout|57014/.test(String((error as Error)?.message ?? error))) {
      throw new AppError(
        "UNAVAILABLE",
        `The search took longer than ${SEARCH_TIMEOUT_MS / 1000} s: narrow it with filters or a longer search text`,
      );
    }
    throw error;
  }
}
