import type { DbOrTx } from "@/server/db";

/** Liveness of the things a request needs: the database answers and migrations have been applied. */
export async function checkHealth(db: DbOrTx): Promise<{ ok: boolean; database: string; migrations: number }> {
  try {
    const [row] = await db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    return { ok: true, database: "ok", migrations: Number(row?.n ?? 0) };
  } catch (error) {
    return {
      ok: false,
      database: error instanceof Error ? error.message.split("\n")[0]! : "unreachable",
      migrations: 0,
    };
  }
}
