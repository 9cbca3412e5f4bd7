import { type z } from "zod";
import { rankingVersion } from "@/server/domain/scoring/ranking-version";
import { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { listDisagreementsInput } from "@/server/domain/adjudication/adjudication-input";
import { latestHumanDecisionsSql } from "@/server/domain/labels/human-votes-sql";
import { decodeProbabilities } from "@/server/domain/scoring/probability-bytes";
import { AppError } from "@/server/errors";

/**
 * Items whose annotators disagree and that no admin has ruled on yet: at least two votes (each annotator's latest
 * decision, skips left out) with different class sets. Each comes with every vote and the active version's
 * prediction, oldest item first; `total` counts all of them (the page shows `limit`).
 */
export async function listDisagreements(db: DbOrTx, input: z.input<typeof listDisagreementsInput>) {
  const { projectId, classA, classB, limit } = listDisagreementsInput.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId }, select: { activeModelVersionId: true } });
  if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
  const pair =
    classA !== undefined && classB !== undefined
      ? Prisma.sql`AND bool_or(class_ids @> ARRAY[${classA}]::int[]) AND bool_or(class_ids @> ARRAY[${classB}]::int[])
                   AND bool_or(NOT class_ids @> ARRAY[${classA}]::int[]) AND bool_or(NOT class_ids @> ARRAY[${classB}]::int[])`
      : Prisma.empty;
  const rows = await db.$queryRaw<{ item_id: number; total: bigint }[]>`
    WITH latest AS (${latestHumanDecisionsSql(projectId)}),
    disputed AS (
      SELECT item_id FROM latest WHERE NOT skipped GROUP BY item_id
      HAVING count(*) >= 2 AND count(DISTINCT ARRAY(SELECT unnest(class_ids) ORDER BY 1)) >= 2 ${pair}
    )
    SELECT d.item_id, count(*) OVER () AS total FROM disputed d
    WHERE NOT EXISTS (SELECT 1 FROM annotation a WHERE a.item_id = d.item_id AND a.adjudicated AND a.undone_at IS NULL)
    ORDER BY d.item_id LIMIT ${limit}`;
  const ids = rows.map((r) => r.item_id);
  if (ids.length === 0) return { total: 0, items: [] };
  const version = await rankingVersion(db, projectId, project.activeModelVersionId);
  const [items, votes, predictions, versionParams] = await Promise.all([
    db.item.findMany({ where: { id: { in: ids } }, select: { id: true, text: true, labelClassIds: true } }),
    db.$queryRaw<{ item_id: number; user_id: string; class_ids: number[]; name: string | null }[]>`
      SELECT l.item_id, l.user_id, l.class_ids, u.name FROM (${latestHumanDecisionsSql(projectId)}) l
      LEFT JOIN "user" u ON u.id = l.user_id
      WHERE l.item_id IN (${Prisma.join(ids)}) AND NOT l.skipped ORDER BY l.item_id, u.name`,
    version ? db.prediction.findMany({ where: { modelVersionId: version.id, itemId: { in: ids } } }) : [],
    version ? db.modelVersion.findUniqueOrThrow({ where: { id: version.id }, select: { params: true } }) : null,
  ]);
  const classOrder = ((versionParams?.params as { classIds?: number[] } | null)?.classIds ?? []).filter(
    Number.isInteger,
  );
  const byId = new Map(items.map((i) => [i.id, i]));
  return {
    total: Number(rows[0]!.total),
    items: ids.map((id) => {
      const prediction = predictions.find((p) => p.itemId === id);
      const probabilities = prediction ? decodeProbabilities(prediction.probabilities) : null;
      return {
        item: byId.get(id)!,
        votes: votes
          .filter((v) => v.item_id === id)
          .map((v) => ({ userId: v.user_id, name: v.name ?? "a deleted account", classIds: v.class_ids })),
        prediction: prediction
          ? {
              versionNumber: version!.number,
              predictedClassIds: prediction.predictedClassIds,
              probabilities: classOrder.map((classId, k) => ({ classId, probability: probabilities?.[k] ?? 0 })),
            }
          : null,
      };
    }),
  };
}
