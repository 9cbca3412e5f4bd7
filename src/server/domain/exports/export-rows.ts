import { itemHumanDecisionsSql } from "@/server/domain/labels/human-votes-sql";
import type { PgPool } from "@/server/pg-pool";
import type { ResolvedExportInput } from "@/server/domain/exports/export-input";

export interface ExportItem {
  id: number;
  text: string;
  externalId: string | null;
  split: "unassigned" | "train" | "test";
  /** Labeled (possibly with no class, in a multi-label project) rather than unlabeled. */
  labeled: boolean;
  classIds: number[];
  origin: string | null;
  labeledAt: Date | null;
}

const PAGE = 5_000;

/** The WHERE clause of an export's filters, with its parameters starting at $2 ($1 is the project). */
function filterSql(input: ResolvedExportInput, labeledOnly: boolean, classId: number | undefined) {
  const where = ["i.project_id = $1"];
  const params: unknown[] = [input.projectId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const labeled = `(i.label_status = 'labeled' AND i.label_origin = ANY(${param(input.origins)}::"AnnotationOrigin"[]))`;
  where.push(labeledOnly || !input.includeUnlabeled ? labeled : `(${labeled} OR i.label_status = 'unlabeled')`);
  if (input.splits) where.push(`i.split = ANY(${param(input.splits)}::"Split"[])`);
  if (input.classIds) where.push(`i.label_class_ids && ${param(input.classIds)}::int[]`);
  if (classId !== undefined) where.push(`i.label_class_ids @> ARRAY[${param(classId)}::int]`);
  if (input.labeledFrom) where.push(`i.labeled_at >= ${param(input.labeledFrom)}`);
  if (input.labeledTo) where.push(`i.labeled_at <= ${param(input.labeledTo)}`);
  if (input.minAgreement !== undefined) {
    // Agreement = the share of the item's votes (labels/human-votes-sql.ts; a skip withdraws one) equal to its label.
    where.push(`(
      SELECT count(*) FILTER (WHERE v.class_ids @> i.label_class_ids AND v.class_ids <@ i.label_class_ids)::float8 / nullif(count(*), 0)
      FROM (${itemHumanDecisionsSql("i.id")}) v
      WHERE NOT v.skipped
    ) >= ${param(input.minAgreement)}`);
  }
  return { where: where.join(" AND "), params };
}

/**
 * Streams the items an export selects in id order, a window of ids at a time (keyset on the primary key), so
 * memory stays constant however large the project is. `classId` restricts to one class (Lamini's per-class lines).
 */
export async function* exportItems(
  pool: PgPool,
  input: ResolvedExportInput,
  options: { labeledOnly: boolean; classId?: number },
): AsyncGenerator<ExportItem> {
  const { where, params } = filterSql(input, options.labeledOnly, options.classId);
  const bounds = await pool.query<{ lo: number | null; hi: number | null }>(
    `SELECT min(id) AS lo, max(id) AS hi FROM item WHERE project_id = $1`,
    [input.projectId],
  );
  const { lo, hi } = bounds.rows[0]!;
  if (lo === null || hi === null) return;
  // Windows of ids on the primary key: each query reads a bounded id range whatever the filters select, so the
  // export stays linear even when the planner has no statistics for a freshly imported project.
  for (let start = lo - 1; start < hi; start += PAGE) {
    const page = await pool.query<{
      id: number;
      text: string;
      external_id: string | null;
      split: ExportItem["split"];
      labeled: boolean;
      label_class_ids: number[];
      label_origin: string | null;
      labeled_at: Date | null;
    }>(
      `SELECT i.id, i.text, i.external_id, i.split, i.label_status = 'labeled' AS labeled, i.label_class_ids, i.label_origin, i.labeled_at
       FROM item i WHERE i.id > $${params.length + 1} AND i.id <= $${params.length + 2} AND ${where} ORDER BY i.id`,
      [...params, start, start + PAGE],
    );
    for (const r of page.rows) {
      yield {
        id: r.id,
        text: r.text,
        externalId: r.external_id,
        split: r.split,
        labeled: r.labeled,
        classIds: r.label_class_ids,
        origin: r.label_origin,
        labeledAt: r.labeled_at,
      };
    }
  }
}
