import type { DbOrTx } from "@/server/db";

/**
 * The version whose predictions readers show and the queue ranks by: the active version once its ranking is attached
 * (ranked_at set), and while a new active version is still being scored, the project's most recently ranked version
 * (every reader reports which version a prediction comes from). Null without an active version: no model yet.
 */
export async function rankingVersion(
  db: DbOrTx,
  projectId: number,
  activeModelVersionId: number | null,
): Promise<{ id: number; number: number } | null> {
  if (activeModelVersionId === null) return null;
  const [row] = await db.$queryRaw<{ id: number; number: number }[]>`
    SELECT id, number FROM model_version
    WHERE project_id = ${projectId} AND ranked_at IS NOT NULL
    ORDER BY id = ${activeModelVersionId} DESC, ranked_at DESC LIMIT 1`;
  return row ?? null;
}
