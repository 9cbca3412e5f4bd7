import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { latestHumanDecisionsSql } from "@/server/domain/labels/human-votes-sql";

export const annotatorStatsInput = z.object({ projectId: z.number().int().positive() });

/**
 * Per annotator in a project: how much they labeled and how fast, how often their vote matches the majority on items
 * with several votes, and how often their label matches the prediction the model showed them. Undone annotations
 * do not count; each annotator's latest decision on an item is their vote.
 */
export async function annotatorStats(db: DbOrTx, input: z.input<typeof annotatorStatsInput>) {
  const { projectId } = annotatorStatsInput.parse(input);
  const rows = await db.$queryRaw<
    {
      user_id: string;
      name: string;
      email: string;
      labels: bigint;
      skips: bigint;
      median_ms: number | null;
      last_at: Date | null;
      majority_votes: bigint;
      majority_agree: bigint;
      model_shown: bigint;
      model_agree: bigint;
    }[]
  >`
    WITH mine AS (
      SELECT a.* FROM annotation a
      WHERE a.project_id = ${projectId} AND a.origin = 'human' AND a.undone_at IS NULL AND a.user_id IS NOT NULL
    ),
    latest AS (${latestHumanDecisionsSql(projectId)}),
    voters AS (
      SELECT item_id, count(*) AS n FROM latest WHERE NOT skipped GROUP BY item_id
    ),
    majority AS (
      SELECT l.user_id,
             count(*) AS votes,
             count(*) FILTER (WHERE l.class_ids @> i.label_class_ids AND l.class_ids <@ i.label_class_ids) AS agree
      FROM latest l JOIN voters v ON v.item_id = l.item_id AND v.n >= 2 JOIN item i ON i.id = l.item_id
      WHERE NOT l.skipped
      GROUP BY l.user_id
    ),
    model AS (
      SELECT m.user_id,
             count(*) AS shown,
             count(*) FILTER (WHERE m.class_ids @> p.predicted_class_ids AND m.class_ids <@ p.predicted_class_ids) AS agree
      FROM mine m JOIN prediction p ON p.model_version_id = m.model_version_id AND p.item_id = m.item_id
      WHERE NOT m.skipped
      GROUP BY m.user_id
    ),
    totals AS (
      SELECT user_id,
             count(*) FILTER (WHERE NOT skipped) AS labels,
             count(*) FILTER (WHERE skipped) AS skips,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE NOT skipped AND duration_ms IS NOT NULL) AS median_ms,
             max(created_at) AS last_at
      FROM mine GROUP BY user_id
    )
    SELECT t.user_id, u.name, u.email, t.labels, t.skips, t.median_ms, t.last_at,
           coalesce(mj.votes, 0) AS majority_votes, coalesce(mj.agree, 0) AS majority_agree,
           coalesce(md.shown, 0) AS model_shown, coalesce(md.agree, 0) AS model_agree
    FROM totals t JOIN "user" u ON u.id = t.user_id
    LEFT JOIN majority mj ON mj.user_id = t.user_id
    LEFT JOIN model md ON md.user_id = t.user_id
    ORDER BY t.labels DESC, u.name`;
  const share = (agree: bigint, total: bigint) => (total > 0n ? Number(agree) / Number(total) : null);
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    labels: Number(r.labels),
    skips: Number(r.skips),
    medianSecondsPerLabel: r.median_ms === null ? null : r.median_ms / 1000,
    lastLabelAt: r.last_at,
    /** Share of this annotator's votes, on items with 2+ votes, that equal the item's (majority) label. */
    agreementWithMajority: share(r.majority_agree, r.majority_votes),
    itemsWithSeveralVotes: Number(r.majority_votes),
    /** Share of labels given while a model prediction was shown that equal it. */
    agreementWithModel: share(r.model_agree, r.model_shown),
  }));
}
