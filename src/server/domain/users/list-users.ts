import type { DbOrTx } from "@/server/db";

/**
 * Every account with its labeling activity across projects: labels (skips and undone ones left out), labels in the
 * last 7 days, median seconds per label and when it last labeled. Per-project figures, with agreement, are on each
 * project's overview (`labels.annotators`).
 */
export async function listUsers(db: DbOrTx) {
  const [users, activity] = await Promise.all([
    db.user.findMany({
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        disabledAt: true,
        createdAt: true,
        _count: { select: { annotations: true } },
      },
    }),
    db.$queryRaw<{ user_id: string; labels: bigint; week: bigint; median_ms: number | null; last_at: Date | null }[]>`
      SELECT user_id,
             count(*) FILTER (WHERE NOT skipped) AS labels,
             count(*) FILTER (WHERE NOT skipped AND created_at >= (now() AT TIME ZONE 'UTC') - interval '7 days') AS week,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE NOT skipped AND duration_ms IS NOT NULL) AS median_ms,
             max(created_at) AS last_at
      FROM annotation
      WHERE origin = 'human' AND undone_at IS NULL AND user_id IS NOT NULL
      GROUP BY user_id`,
  ]);
  const byUser = new Map(activity.map((a) => [a.user_id, a]));
  return users.map(({ _count, ...user }) => {
    const a = byUser.get(user.id);
    return {
      ...user,
      annotationCount: _count.annotations,
      labels: Number(a?.labels ?? 0),
      labelsLast7Days: Number(a?.week ?? 0),
      medianSecondsPerLabel: a?.median_ms == null ? null : a.median_ms / 1000,
      lastLabelAt: a?.last_at ?? null,
    };
  });
}
