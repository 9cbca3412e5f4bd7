import { Prisma } from "@/generated/prisma/client";

// The annotation rows that are votes (labels/effective-label.ts): a person's decision, not undone, by a known
// annotator — newest first, so that DISTINCT ON keeps each annotator's latest one. Plain SQL text (no parameters),
// so that string-built queries (the streamed export) and Prisma.sql queries state the rule once.
// An adjudication is a ruling on the votes, not one of them.
const VOTE_ROWS = "origin = 'human' AND NOT adjudicated AND undone_at IS NULL AND user_id IS NOT NULL";
const NEWEST_FIRST = "created_at DESC, id DESC";

/**
 * SQL for each annotator's latest human decision per item in a project (item_id, user_id, class_ids, skipped) — the
 * votes of labels/effective-label.ts, where a skip withdraws the vote (callers filter `NOT skipped`). Shared by
 * the agreement and annotator statistics so that both count the same votes.
 */
export function latestHumanDecisionsSql(projectId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT DISTINCT ON (item_id, user_id) item_id, user_id, class_ids, skipped
    FROM annotation
    WHERE project_id = ${projectId} AND ${Prisma.raw(VOTE_ROWS)}
    ORDER BY item_id, user_id, ${Prisma.raw(NEWEST_FIRST)}`;
}

/**
 * The same votes for one item, as SQL text: each annotator's latest human decision (user_id, class_ids, skipped)
 * on the item whose id is the SQL expression `itemId` (e.g. a correlated "i.id").
 */
export function itemHumanDecisionsSql(itemId: string): string {
  return `SELECT DISTINCT ON (user_id) user_id, class_ids, skipped FROM annotation
          WHERE item_id = ${itemId} AND ${VOTE_ROWS} ORDER BY user_id, ${NEWEST_FIRST}`;
}
