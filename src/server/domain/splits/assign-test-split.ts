import type { Tx } from "@/server/db";

/** Transaction timeout for callers: the first assignment over a large pool draws test items from all of it and moves every labeled item (seconds at 1M items here, more on a busy server). */
export const ASSIGN_TEST_SPLIT_TIMEOUT_MS = 30 * 60_000;

/**
 * Keeps the project's frozen test split at its target size, min(testMaxItems, testShare × items). Items once in
 * the test split stay there. New test items are drawn at random, stratified by class among items that already
 * carry a (non-generated) label, the rest from unlabeled items; every other labeled item joins the train split, so
 * an item a model was trained on can never be drawn into the test split later.
 * Returns the number of test items.
 */
export async function assignTestSplit(tx: Tx, projectId: number): Promise<number> {
  const project = await tx.project.findUniqueOrThrow({ where: { id: projectId } });
  let current = await tx.item.count({ where: { projectId, split: "test" } });
  let target = project.testMaxItems;
  // A full test split (the usual case on a large project) needs no count of the whole pool, which takes a scan.
  if (current < target) target = Math.min(target, Math.round(project.testShare * (await tx.item.count({ where: { projectId, source: { not: "generated" } } }))));
  const wanted = target - current;
  if (wanted > 0) {
    const unassignedLabeled = await tx.$queryRaw<{ class_id: number; n: bigint }[]>`
      SELECT label_class_ids[1] AS class_id, count(*) AS n FROM item
      WHERE project_id = ${projectId} AND split = 'unassigned' AND label_status = 'labeled' AND label_origin <> 'generated'
      GROUP BY 1`;
    const unassigned = await tx.item.count({ where: { projectId, split: "unassigned", source: { not: "generated" } } });
    // Labeled items go to the test split in proportion to their share of the candidates, class by class.
    for (const row of unassignedLabeled) {
      const take = Math.round((Number(row.n) / Math.max(unassigned, 1)) * wanted);
      if (take <= 0) continue;
      current += await tx.$executeRaw`
        UPDATE item SET split = 'test' WHERE id IN (
          SELECT id FROM item WHERE project_id = ${projectId} AND split = 'unassigned' AND label_status = 'labeled'
            AND label_origin <> 'generated' AND label_class_ids[1] = ${row.class_id}
          ORDER BY md5(id::text || ${projectId}::text) LIMIT ${take})`;
    }
    const rest = target - current;
    if (rest > 0) {
      current += await tx.$executeRaw`
        UPDATE item SET split = 'test' WHERE id IN (
          SELECT id FROM item WHERE project_id = ${projectId} AND split = 'unassigned' AND label_status <> 'labeled' AND source <> 'generated'
          ORDER BY md5(id::text || ${projectId}::text) LIMIT ${rest})`;
    }
  }
  // Only labeled items are swept: unlabeled ones stay unassigned (the queue treats them as train items), so a
  // growing test split can still draw fresh items, and the first training on a large pool rewrites its labeled
  // rows rather than every row.
  await tx.$executeRaw`UPDATE item SET split = 'train' WHERE project_id = ${projectId} AND label_status = 'labeled' AND split = 'unassigned'`;
  return current;
}
