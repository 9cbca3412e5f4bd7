import type { Tx } from "@/server/db";
import { testTarget } from "@/server/domain/evaluation/test-set";
import { leaseFreeSql } from "@/server/domain/queue/lease-free-sql";

/** Transaction timeout for callers: the first assignment over a large pool trims the split drawn at arrival and moves every labeled item (seconds at 1M items here, more on a busy server). */
export const ASSIGN_TEST_SPLIT_TIMEOUT_MS = 30 * 60_000;

/**
 * Keeps the project's test split a random sample that no queue chose (docs/evaluation.md):
 * - unlabeled items are drawn into the test split when they arrive (the item_test_draw trigger: a seeded hash of
 *   project and item against the test share), so labels the uncertainty queue collects never become test items;
 * - imported labels without a split contribute a seeded sample stratified by class (test share of each class);
 * - a split larger than max(testMaxItems, the labeled target) releases its unlabeled items with the highest draw;
 * - every other labeled item joins the train split, so an item a model was trained on never becomes a test item.
 * Items once labeled in the test split stay there. Returns the number of test items and of rows it moved.
 */
export async function assignTestSplit(tx: Tx, projectId: number): Promise<{ testCount: number; moved: number }> {
  const project = await tx.project.findUniqueOrThrow({ where: { id: projectId } });
  const classCount = await tx.labelClass.count({ where: { projectId, archivedAt: null } });
  const cap = Math.max(project.testMaxItems, testTarget(project, classCount));
  const labeledTest = await tx.item.count({ where: { projectId, split: "test", labelStatus: "labeled" } });
  // Imported labels, class by class: the test share of each, by a seeded hash (never by what a queue showed).
  const imported = await tx.$queryRaw<{ class_id: number; n: bigint }[]>`
    SELECT label_class_ids[1] AS class_id, count(*) AS n FROM item
    WHERE project_id = ${projectId} AND split = 'unassigned' AND label_status = 'labeled' AND label_origin = 'imported'
    GROUP BY 1`;
  const importedTotal = imported.reduce((s, r) => s + Number(r.n), 0);
  const room = Math.max(0, cap - labeledTest);
  const scale = Math.min(project.testShare, importedTotal > 0 ? room / importedTotal : 0);
  let moved = 0;
  for (const row of imported) {
    const take = Math.round(Number(row.n) * scale);
    if (take <= 0) continue;
    moved += await tx.$executeRaw`
      UPDATE item SET split = 'test' WHERE id IN (
        SELECT id FROM item WHERE project_id = ${projectId} AND split = 'unassigned' AND label_status = 'labeled'
          AND label_origin = 'imported' AND label_class_ids[1] IS NOT DISTINCT FROM ${row.class_id}
        ORDER BY margin_test_draw(project_id, id), id LIMIT ${take})`;
  }
  let current = await tx.item.count({ where: { projectId, split: "test" } });
  if (current > cap) {
    // Released items have no label and were drawn by hash, so the split stays a random sample of the pool.
    const released = await tx.$executeRaw`
      UPDATE item SET split = 'unassigned' WHERE id IN (
        SELECT id FROM item WHERE project_id = ${projectId} AND split = 'test' AND label_status <> 'labeled'
          AND ${leaseFreeSql()}
        ORDER BY margin_test_draw(project_id, id) DESC, id DESC LIMIT ${current - cap})`;
    current -= released;
    moved += released;
  }
  // Only labeled items are swept: unlabeled ones stay unassigned (the queue treats them as train items).
  moved +=
    await tx.$executeRaw`UPDATE item SET split = 'train' WHERE project_id = ${projectId} AND label_status = 'labeled' AND split = 'unassigned'`;
  return { testCount: current, moved };
}
