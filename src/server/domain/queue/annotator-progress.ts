import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { remainingCount } from "@/server/domain/queue/remaining-count";
import { AppError } from "@/server/errors";

export const annotatorProgressInput = z.object({
  projectId: z.number().int().positive(),
  /** Start of the annotator's day in their own time zone (the server does not know it). */
  since: z.coerce.date(),
  /** When this sitting began (the Annotate page was opened); labels after it are "this session". */
  sessionStart: z.coerce.date().optional(),
});

// Pace is measured over the recent stretch of work, not the whole day: a lunch break should not halve it.
const PACE_WINDOW_MINUTES = 30;

// Up to this many unlabeled items are counted exactly (an index-only scan of ~0.02 s); above it the count is the
// queue's shared estimate, refreshed at most once a minute, and says so. Counting a million-item pool on every
// label would compete with the annotators' own queries for the same cores.
export const EXACT_REMAINING_LIMIT = 100_000;

/**
 * The annotator's own progress strip: labels since the start of their day and of this sitting, their pace — labels
 * per minute of time spent on items (the client reports each item's duration) over the last half hour, so pauses
 * between sessions do not count — the items left to label (exact, or a marked estimate on large pools) and the
 * project's session goal.
 */
export async function annotatorProgress(db: DbOrTx, input: z.input<typeof annotatorProgressInput>, userId: string) {
  const { projectId, since, sessionStart } = annotatorProgressInput.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId }, select: { sessionGoal: true } });
  if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
  const windowStart = new Date(Date.now() - PACE_WINDOW_MINUTES * 60_000);
  const session = sessionStart ?? new Date();
  // Columns hold UTC wall time (timestamp without time zone), whatever the session's time zone is.
  const [row] = await db.$queryRaw<{ today: bigint; session: bigint; recent: bigint; recent_ms: bigint | null }[]>`
    SELECT count(*) FILTER (WHERE created_at >= (${since}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS today,
           count(*) FILTER (WHERE created_at >= (${session}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS session,
           count(*) FILTER (WHERE created_at >= (${windowStart}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS recent,
           sum(duration_ms) FILTER (WHERE created_at >= (${windowStart}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS recent_ms
    FROM annotation
    WHERE project_id = ${projectId} AND user_id = ${userId} AND origin = 'human' AND undone_at IS NULL
      AND created_at >= (LEAST(${since}::timestamptz, ${windowStart}::timestamptz, ${session}::timestamptz) AT TIME ZONE 'UTC')`;
  const [counted] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT 1 FROM item WHERE project_id = ${projectId} AND label_status = 'unlabeled' LIMIT ${EXACT_REMAINING_LIMIT + 1}
    ) capped`;
  const exactCount = Number(counted?.n ?? 0);
  const remaining =
    exactCount <= EXACT_REMAINING_LIMIT
      ? { count: exactCount, exact: true }
      : { count: Math.max(await remainingCount(db, projectId), exactCount), exact: false };
  const recent = Number(row?.recent ?? 0);
  const recentMs = Number(row?.recent_ms ?? 0);
  return {
    labeledToday: Number(row?.today ?? 0),
    labeledThisSession: Number(row?.session ?? 0),
    labelsPerMinute: recent > 0 && recentMs > 0 ? recent / (recentMs / 60_000) : null,
    remaining,
    sessionGoal: project.sessionGoal,
  };
}
