import { z } from "zod";
import type { DbOrTx } from "@/server/db";

export const annotatorProgressInput = z.object({
  projectId: z.number().int().positive(),
  /** Start of the annotator's day in their own time zone (the server does not know it). */
  since: z.coerce.date(),
});

// Pace is measured over the recent stretch of work, not the whole day: a lunch break should not halve it.
const PACE_WINDOW_MINUTES = 30;

/**
 * The annotator's own progress strip: labels since the start of their day, and their pace — labels per minute of
 * time spent on items (the client reports each item's duration) over the last half hour, so pauses between
 * sessions do not count.
 */
export async function annotatorProgress(db: DbOrTx, input: z.input<typeof annotatorProgressInput>, userId: string) {
  const { projectId, since } = annotatorProgressInput.parse(input);
  const windowStart = new Date(Date.now() - PACE_WINDOW_MINUTES * 60_000);
  // Columns hold UTC wall time (timestamp without time zone), whatever the session's time zone is.
  const [row] = await db.$queryRaw<{ today: bigint; recent: bigint; recent_ms: bigint | null }[]>`
    SELECT count(*) FILTER (WHERE created_at >= (${since}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS today,
           count(*) FILTER (WHERE created_at >= (${windowStart}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS recent,
           sum(duration_ms) FILTER (WHERE created_at >= (${windowStart}::timestamptz AT TIME ZONE 'UTC') AND NOT skipped) AS recent_ms
    FROM annotation
    WHERE project_id = ${projectId} AND user_id = ${userId} AND origin = 'human' AND undone_at IS NULL
      AND created_at >= (LEAST(${since}::timestamptz, ${windowStart}::timestamptz) AT TIME ZONE 'UTC')`;
  const recent = Number(row?.recent ?? 0);
  const recentMs = Number(row?.recent_ms ?? 0);
  return {
    labeledToday: Number(row?.today ?? 0),
    labelsPerMinute: recent > 0 && recentMs > 0 ? recent / (recentMs / 60_000) : null,
  };
}
