import type { PgClient } from "@/server/pg-pool";
import { className, PALETTE } from "@/server/domain/classes/class-input";
import { ImportFileError } from "@/server/domain/imports/import-format";

export interface StageColumns {
  text: string;
  labels: string | null;
  id: string | null;
  split: string | null;
}

export interface ValidateStageInput {
  projectId: number;
  taskType: "binary" | "multiclass" | "multilabel";
  /** Lamini files list each class's examples separately: a text under several classes is one multi-label item. */
  mergeSameText: boolean;
  createMissingClasses: boolean;
  columns: StageColumns;
}

const LIVE_CLASS = `SELECT 1 FROM label_class c WHERE c.project_id = $1 AND c.archived_at IS NULL AND c.name = l`;

/**
 * Checks the staged rows against each other and against the project, set-based, marking each bad row with its
 * reason: invalid split, several labels in a single-label project, unknown class (or creates it), duplicate id
 * and duplicate text (within the file and against existing items). Runs inside the import's transaction.
 */
export async function validateStagedRows(client: PgClient, input: ValidateStageInput) {
  const { projectId, columns } = input;
  if (input.mergeSameText) {
    await client.query(`
      WITH dup AS (
        SELECT content_hash, min(row_no) AS keep FROM import_stage WHERE reason IS NULL GROUP BY content_hash HAVING count(*) > 1
      ), merged AS (
        SELECT d.keep, array_agg(DISTINCT l) AS labels
        FROM dup d JOIN import_stage s ON s.content_hash = d.content_hash AND s.reason IS NULL CROSS JOIN LATERAL unnest(s.labels) l
        GROUP BY d.keep
      ), upd AS (
        UPDATE import_stage s SET labels = m.labels, class_ids = NULL FROM merged m WHERE s.row_no = m.keep RETURNING 1
      )
      DELETE FROM import_stage s USING dup d WHERE s.content_hash = d.content_hash AND s.reason IS NULL AND s.row_no <> d.keep`);
  }
  await client.query(`CREATE INDEX ON import_stage (content_hash)`);
  await client.query(`CREATE INDEX ON import_stage (external_id)`);
  await client.query(`ANALYZE import_stage`);

  await client.query(
    `UPDATE import_stage SET reason = 'invalid_split', column_name = $1,
       message = format('Unknown split "%s": use train, test or leave it empty', split)
     WHERE reason IS NULL AND split IS NOT NULL AND lower(split) NOT IN ('train', 'test', 'unassigned')`,
    [columns.split],
  );
  if (input.taskType !== "multilabel") {
    await client.query(
      `UPDATE import_stage SET reason = 'too_many_labels', column_name = $1,
         message = format('%s labels (%s) but the project is single-label', cardinality(labels), array_to_string(labels, ', '))
       WHERE reason IS NULL AND cardinality(labels) > 1`,
      [columns.labels],
    );
  }

  const unknown = await client.query<{ name: string; rows: number }>(
    `SELECT l AS name, count(*)::int AS rows FROM import_stage s CROSS JOIN LATERAL unnest(s.labels) l
     WHERE s.reason IS NULL AND NOT EXISTS (${LIVE_CLASS}) GROUP BY l ORDER BY count(*) DESC, l`,
    [projectId],
  );
  const unknownClasses = unknown.rows;
  const createdClasses: string[] = [];
  if (unknownClasses.length && input.createMissingClasses) {
    // "SPAM" next to a class "spam" is a misspelling, not a new class: its rows stay unknown_class, naming "spam".
    const live = new Set(
      (
        await client.query<{ name: string }>(
          `SELECT lower(name) AS name FROM label_class WHERE project_id = $1 AND archived_at IS NULL`,
          [projectId],
        )
      ).rows.map((r) => r.name),
    );
    const caseVariants = unknownClasses.filter((c) => live.has(c.name.toLowerCase())).map((c) => c.name);
    if (caseVariants.length) await markUnknownClasses(client, projectId, columns.labels, caseVariants);
    const creatable = unknownClasses.filter((c) => !live.has(c.name.toLowerCase()));
    const valid = creatable.filter((c) => className.safeParse(c.name).success).map((c) => c.name);
    const invalid = creatable.filter((c) => !className.safeParse(c.name).success).map((c) => c.name);
    if (invalid.length) {
      await client.query(
        `UPDATE import_stage SET reason = 'invalid_label', column_name = $2,
           message = format('Cannot create class "%s": a class name has 1 to 100 characters and no ":"', (SELECT min(l) FROM unnest(labels) l WHERE l = ANY($1)))
         WHERE reason IS NULL AND labels && $1::text[]`,
        [invalid, columns.labels],
      );
    }
    const counts = await client.query<{ n: number; pos: number }>(
      `SELECT count(*)::int AS n, coalesce(max(position) + 1, 0)::int AS pos FROM label_class WHERE project_id = $1 AND archived_at IS NULL`,
      [projectId],
    );
    const { n, pos } = counts.rows[0]!;
    if (input.taskType === "binary" && n + valid.length > 2) {
      throw new ImportFileError(
        `A binary project has exactly two classes; it has ${n} and the file adds ${valid.map((v) => `"${v}"`).join(", ")}. Switch the project to multi-class first.`,
      );
    }
    if (valid.length) {
      await client.query(
        `INSERT INTO label_class (project_id, name, description, color, position, updated_at)
         SELECT $1, name, '', color, position, now() FROM unnest($2::text[], $3::text[], $4::int[]) AS u(name, color, position)
         ON CONFLICT (project_id, name) DO UPDATE SET archived_at = NULL, position = EXCLUDED.position, updated_at = now()`,
        [projectId, valid, valid.map((_, i) => PALETTE[(n + i) % PALETTE.length]!), valid.map((_, i) => pos + i)],
      );
      createdClasses.push(...valid);
    }
  } else if (unknownClasses.length) {
    await markUnknownClasses(client, projectId, columns.labels, null);
  }

  await client.query(
    `UPDATE import_stage s SET class_ids = (
       SELECT array_agg(c.id ORDER BY c.position, c.id) FROM label_class c
       WHERE c.project_id = $1 AND c.archived_at IS NULL AND c.name = ANY(s.labels))
     WHERE s.reason IS NULL AND s.labels IS NOT NULL AND s.class_ids IS NULL`,
    [projectId],
  );

  // Hash aggregates find the few duplicates without sorting the whole file.
  await client.query(
    `UPDATE import_stage s SET reason = 'duplicate_id', column_name = $1, message = format('Duplicate id "%s" (first on line %s)', s.external_id, f.line)
     FROM (SELECT external_id, min(row_no) AS first FROM import_stage WHERE reason IS NULL AND external_id IS NOT NULL GROUP BY external_id HAVING count(*) > 1) d
     JOIN import_stage f ON f.row_no = d.first
     WHERE s.reason IS NULL AND s.external_id = d.external_id AND s.row_no <> d.first`,
    [columns.id],
  );
  await client.query(
    `UPDATE import_stage s SET reason = 'duplicate_id', column_name = $2, message = format('Id "%s" already belongs to item #%s in this project', s.external_id, i.id)
     FROM item i WHERE s.reason IS NULL AND i.project_id = $1 AND i.external_id = s.external_id`,
    [projectId, columns.id],
  );
  // Duplicate messages quote the text: a Lamini line holds a class's every example, so "line 1 (examples)" alone
  // would not say which one.
  await client.query(
    `UPDATE import_stage s SET reason = 'duplicate_text', column_name = $1, message = format('Same text as line %s: "%s"', f.line, CASE WHEN length(s.text) > 60 THEN left(s.text, 60) || '…' ELSE s.text END)
     FROM (SELECT content_hash, min(row_no) AS first FROM import_stage WHERE reason IS NULL GROUP BY content_hash HAVING count(*) > 1) d
     JOIN import_stage f ON f.row_no = d.first
     WHERE s.reason IS NULL AND s.content_hash = d.content_hash AND s.row_no <> d.first`,
    [columns.text],
  );
  await client.query(
    `UPDATE import_stage s SET reason = 'duplicate_text', column_name = $2, message = format('The project already has this text (item #%s): "%s"', i.id, CASE WHEN length(s.text) > 60 THEN left(s.text, 60) || '…' ELSE s.text END)
     FROM item i WHERE s.reason IS NULL AND i.project_id = $1 AND i.content_hash = s.content_hash`,
    [projectId, columns.text],
  );

  return { unknownClasses, createdClasses };
}

/**
 * Marks rows with a label that is not a live class (only those with one of `names`, when given) as unknown_class. An
 * unknown name that differs from a class only in case names that class: it is almost always the one meant.
 */
async function markUnknownClasses(client: PgClient, projectId: number, column: string | null, names: string[] | null) {
  await client.query(
    `UPDATE import_stage s SET reason = 'unknown_class', column_name = $2,
         message = CASE WHEN u.near IS NULL
           THEN format('Unknown class "%s": create it (web: "Create missing classes", CLI: --create-classes) or correct the label', u.name)
           ELSE format('Unknown class "%s": the project has "%s" (class names are case-sensitive): correct the label', u.name, u.near) END
       FROM (
         SELECT u0.row_no, u0.name, (SELECT min(c.name) FROM label_class c WHERE c.project_id = $1 AND c.archived_at IS NULL AND lower(c.name) = lower(u0.name)) AS near
         FROM (
           SELECT row_no, min(l) AS name FROM import_stage s2 CROSS JOIN LATERAL unnest(s2.labels) l
           WHERE s2.reason IS NULL AND NOT EXISTS (${LIVE_CLASS}) AND ($3::text[] IS NULL OR l = ANY($3)) GROUP BY row_no
         ) u0
       ) u
       WHERE s.row_no = u.row_no`,
    [projectId, column, names],
  );
}
