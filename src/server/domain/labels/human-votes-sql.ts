import { Prisma } from "@/generated/prisma/client";

/**
 * SQL for each annotator's latest human decision per item in a project (item_id, user_id, class_ids, skipped) — the
 * votes of labels/effective-label.ts, where a skip withdraws the vote (callers filter `NOT skipped`). Shared by
 * the agreement and annotator statistics so that both count the same votes.
 */
export function latestHumanDecisionsSql(projectId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (item_id, user_id) item_id, user_id, class_ids, skipped
    FROM annotation
    WHERE project_id = ${projectId} AND origin = 'human' AND undone_at IS NULL AND user_id IS NOT NULL
    ORDER BY item_id, user_id, created_at DESC, id DESC`;
}
