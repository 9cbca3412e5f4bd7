import { createHash } from "node:crypto";
import type { DbOrTx } from "@/server/db";
import { humanDecisionOriginsSql } from "@/server/domain/labels/effective-label";

export interface TestItem {
  itemId: number;
  contentHash: string;
  text: string;
  /** The effective label, restricted to the project's live classes. */
  classIds: number[];
}

export interface TestSet {
  items: TestItem[];
  /** Hash of the items and their labels: a version's stored evaluation is current while this stays the same. */
  key: string;
  /** Labeled test items wanted before metrics are trusted (project setting, or the larger of 100 and 10 per class). */
  target: number;
}

/** The labeled test items a project wants: its setting, else the larger of 100 and 10 per class. */
export function testTarget(project: { testTargetItems: number | null }, classCount: number): number {
  return project.testTargetItems ?? Math.max(100, 10 * classCount);
}

/**
 * The project's labeled test set as every metric uses it: items of the test split whose effective label is a human
 * decision or an imported label (generated labels never measure a model), restricted to the live classes; a
 * single-label item whose class was archived drops out. Ordered by item id, so the same state gives the same key.
 */
export async function loadTestSet(
  db: DbOrTx,
  project: { id: number; taskType: string; testTargetItems: number | null },
  classIds: number[],
): Promise<TestSet> {
  const live = new Set(classIds);
  const rows = await db.$queryRaw<{ id: number; content_hash: string; text: string; class_ids: number[] }[]>`
    SELECT id, content_hash, text, label_class_ids AS class_ids FROM item
    WHERE project_id = ${project.id} AND split = 'test' AND label_status = 'labeled'
      AND (label_origin IN ${humanDecisionOriginsSql} OR label_origin = 'imported')
    ORDER BY id`;
  const multi = project.taskType === "multilabel";
  const items: TestItem[] = [];
  for (const row of rows) {
    const known = row.class_ids.filter((id) => live.has(id));
    if (multi ? known.length !== row.class_ids.length : known.length === 0) continue;
    items.push({
      itemId: row.id,
      contentHash: row.content_hash,
      text: row.text,
      classIds: multi ? known : [known[0]!],
    });
  }
  const hash = createHash("sha256");
  hash.update(`${classIds.join(",")}|`);
  for (const item of items) hash.update(`${item.itemId}:${item.classIds.join(",")};`);
  return { items, key: hash.digest("hex").slice(0, 32), target: testTarget(project, classIds.length) };
}
