import type { PgPool } from "@/server/pg-pool";
import { AppError } from "@/server/errors";
import { ImportFileError, type RowError, type RowErrorReason } from "@/server/domain/imports/import-format";
import { importOptions, type ColumnMapping, type ImportOptions } from "@/server/schemas/import-options";
import {
  MAX_REPORTED_ERRORS,
  SAMPLE_ROWS,
  type ImportReport,
  type SampleRow,
} from "@/server/domain/imports/import-report";
import { emissaryFields } from "@/server/domain/imports/normalize-record";
import { decompressSource } from "@/server/domain/imports/decompress-source";
import { decodeText } from "@/server/domain/imports/decode-text";
import { readImportRows } from "@/server/domain/imports/read-import-rows";
import { RowStager, storableRow } from "@/server/domain/imports/stage-rows";
import { storableJson } from "@/server/storable-text";
import { validateStagedRows, type StageColumns } from "@/server/domain/imports/validate-staged-rows";

export interface RunImportInput {
  projectId: number;
  userId: string | null;
  source: AsyncIterable<Uint8Array>;
  options: ImportOptions;
  /** Validate and report, then roll back: the preview. */
  dryRun?: boolean;
  /** Marked imported (and its chunks deleted) in the same transaction as the rows. */
  uploadId?: string;
  /** Called after every staged batch with the rows read so far; may throw to cancel (the transaction rolls back). */
  onProgress?: (rowsRead: number) => Promise<void>;
  /** Called with each phase's duration (benchmarks). */
  onPhase?: (phase: "stage" | "validate" | "insert" | "commit", ms: number) => void;
}

// Serializes imports into one project, so that two files cannot both pass the duplicate checks with the same text.
const IMPORT_LOCK = 0x4d52;
const PROGRESS_EVERY = 20_000;

/**
 * Imports a file into a project in ONE transaction: rows are streamed into a temporary staging table, validated
 * set-based in SQL, then copied into `item` (and `annotation` for labeled rows, with the item's denormalized label
 * fields) with INSERT … SELECT. In "all-or-nothing" mode any row error rolls everything back; in "valid-rows" mode
 * the valid rows are imported and the rest reported. A preview (`dryRun`) runs the same steps and always rolls back.
 */
export async function runImport(pool: PgPool, input: RunImportInput): Promise<ImportReport> {
  const options = importOptions.parse(input.options);
  const { projectId } = input;
  const client = await pool.connect();
  let open = false;
  try {
    await client.query("BEGIN");
    open = true;
    if (!input.dryRun) await client.query("SELECT pg_advisory_xact_lock($1, $2)", [IMPORT_LOCK, projectId]);
    const project = await client.query<{ task_type: "binary" | "multiclass" | "multilabel" }>(
      `SELECT task_type FROM project WHERE id = $1`,
      [projectId],
    );
    const taskType = project.rows[0]?.task_type;
    if (!taskType) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    const classRows = (
      await client.query<{ id: number; name: string; position: number }>(
        `SELECT id, name, position FROM label_class WHERE project_id = $1 AND archived_at IS NULL ORDER BY position, id`,
        [projectId],
      )
    ).rows;
    const classes = classRows.map((r) => r.name);

    let phaseStart = performance.now();
    const phase = (name: "stage" | "validate" | "insert" | "commit") => {
      const now = performance.now();
      input.onPhase?.(name, now - phaseStart);
      phaseStart = now;
    };
    await RowStager.createTable(client);
    const stager = new RowStager(client, new Map(classRows.map((c) => [c.name, { id: c.id, position: c.position }])));
    let columns: string[] = [];
    let mapping: ColumnMapping | null = null;
    const sample: SampleRow[] = [];
    let nextProgress = PROGRESS_EVERY;

    for await (const parsed of readImportRows(decodeText(decompressSource(input.source)), {
      ...options,
      multiLabel: taskType === "multilabel",
      otherBinaryClass: (name) => {
        if (taskType === "binary" && classes.length === 2 && classes.includes(name))
          return { name: classes.find((c) => c !== name)! };
        return {
          error: `"${name}": 0 means "the other class", which needs a binary project whose two classes include "${name}"`,
        };
      },
      // The Emissary export names the first class, so a bare 1 is that class here too.
      binaryFlagClass: (flag) => {
        if (taskType === "binary" && classes.length === 2) return { name: classes[flag === 1 ? 0 : 1]! };
        return {
          error: `A bare ${flag} needs a binary project with two classes (1 is the first, 0 the second); this project is ${taskType} with ${classes.length} class(es)`,
        };
      },
      onColumns: (c, m) => {
        columns = c;
        mapping = m ?? null;
      },
    })) {
      // "Labeled with no class" exists only in multi-label projects; elsewhere an empty label list is unlabeled.
      if (parsed.ok && taskType !== "multilabel" && parsed.row.labels?.length === 0) parsed.row.labels = null;
      const checked = sample.length < SAMPLE_ROWS ? storableRow(parsed) : parsed;
      if (checked.ok && sample.length < SAMPLE_ROWS) {
        const { line, text, labels, externalId, split } = checked.row;
        sample.push({ line, text: text.length > 500 ? `${text.slice(0, 500)}…` : text, labels, externalId, split });
      }
      await stager.add(parsed);
      if (input.onProgress && stager.rows >= nextProgress) {
        nextProgress += PROGRESS_EVERY;
        await input.onProgress(stager.rows);
      }
    }
    await stager.flush();
    phase("stage");

    const mapped = mapping as ColumnMapping | null;
    const stageColumns: StageColumns =
      options.format === "lamini"
        ? { text: "examples", labels: "class_name", id: null, split: null }
        : options.format.startsWith("emissary")
          ? { ...emissaryFields(columns), id: null, split: null }
          : {
              text: mapped?.text ?? "text",
              labels: mapped?.labels ?? null,
              id: mapped?.id ?? null,
              split: mapped?.split ?? null,
            };
    const { unknownClasses, createdClasses } = await validateStagedRows(client, {
      projectId,
      taskType,
      mergeSameText: options.format === "lamini",
      createMissingClasses: options.createMissingClasses,
      columns: stageColumns,
    });

    phase("validate");
    const counts = await client.query<{ rows: number; valid: number }>(
      `SELECT count(*)::int AS rows, (count(*) FILTER (WHERE reason IS NULL))::int AS valid FROM import_stage`,
    );
    const byReason = await client.query<{ reason: RowErrorReason; n: number }>(
      `SELECT reason, count(*)::int AS n FROM import_stage WHERE reason IS NOT NULL GROUP BY reason ORDER BY reason`,
    );
    const errors = await client.query<{ line: number; column: string | null; reason: RowErrorReason; message: string }>(
      `SELECT line, column_name AS column, reason, message FROM import_stage WHERE reason IS NOT NULL ORDER BY line, row_no LIMIT ${MAX_REPORTED_ERRORS}`,
    );
    const { rows, valid } = counts.rows[0]!;
    const errorCount = rows - valid;
    // The report goes to jsonb (the upload's result, the job's): column names and messages quote the file.
    const report: ImportReport = storableJson({
      format: options.format,
      columns,
      mapping: mapped,
      rows,
      validRows: valid,
      errorCount,
      errorsByReason: Object.fromEntries(byReason.rows.map((r) => [r.reason, r.n])),
      errors: errors.rows satisfies RowError[],
      unknownClasses,
      createdClasses,
      sample,
      dryRun: Boolean(input.dryRun),
      committed: false,
      rolledBackBecause: null,
      imported: { items: 0, labeled: 0 },
    } satisfies ImportReport);

    if (input.dryRun) return report;
    if (rows === 0) {
      const delimited = options.format === "csv" || options.format === "tsv" || options.format === "emissary-csv";
      const because =
        delimited && columns.length
          ? `The file has a header (${columns
              .slice(0, 10)
              .map((c) => `"${c}"`)
              .join(", ")}${columns.length > 10 ? ", …" : ""}) but no rows below it`
          : "The file has no rows";
      return { ...report, rolledBackBecause: because };
    }
    if (options.mode === "all-or-nothing" && errorCount > 0) {
      return {
        ...report,
        rolledBackBecause: `${errorCount.toLocaleString("en")} row(s) have errors and the mode is all-or-nothing`,
      };
    }

    // A file with a split column names every row's split: the arrival draw (docs/evaluation.md) leaves its rows alone.
    if (stageColumns.split) await client.query("SET LOCAL margin.keep_split = 'on'");
    const inserted = await client.query<{ items: number; labeled: number }>(
      `WITH ins AS (
         INSERT INTO item (project_id, text, content_hash, external_id, metadata, source, split, label_status, label_class_ids, label_origin, labeled_at)
         SELECT $1, text, content_hash, external_id, metadata, 'imported', coalesce(lower(split), 'unassigned')::"Split",
                CASE WHEN class_ids IS NULL THEN 'unlabeled' ELSE 'labeled' END::"LabelStatus",
                coalesce(class_ids, '{}'),
                CASE WHEN class_ids IS NULL THEN NULL ELSE 'imported'::"AnnotationOrigin" END,
                CASE WHEN class_ids IS NULL THEN NULL ELSE now() END
         FROM import_stage WHERE reason IS NULL ORDER BY row_no
         ON CONFLICT DO NOTHING
         RETURNING id, label_class_ids, label_status
       ), ann AS (
         INSERT INTO annotation (project_id, item_id, class_ids, origin)
         SELECT $1, id, label_class_ids, 'imported' FROM ins WHERE label_status = 'labeled'
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM ins)::int AS items, (SELECT count(*) FROM ann)::int AS labeled`,
      [projectId],
    );
    const imported = inserted.rows[0]!;
    // Fresh statistics for the planner right away: autovacuum may not analyze a million new rows for a while.
    if (imported.items >= 10_000) await client.query("ANALYZE item; ANALYZE annotation");
    phase("insert");
    if (imported.items < valid && options.mode === "all-or-nothing") {
      return {
        ...report,
        rolledBackBecause: `${valid - imported.items} row(s) were added to the project by someone else during the import`,
      };
    }
    const result: ImportReport = { ...report, committed: true, imported };
    await client.query(
      `INSERT INTO audit_log (project_id, user_id, action, entity_type, entity_id, data) VALUES ($1, $2, 'import.complete', 'project', $3, $4)`,
      [
        projectId,
        input.userId,
        String(projectId),
        JSON.stringify({
          format: options.format,
          mode: options.mode,
          rows,
          ...imported,
          errors: errorCount,
          createdClasses,
        }),
      ],
    );
    if (input.uploadId) {
      await client.query(`UPDATE import_upload SET imported_at = now(), result = $2 WHERE id = $1`, [
        input.uploadId,
        JSON.stringify(result),
      ]);
      await client.query(`DELETE FROM import_upload_chunk WHERE upload_id = $1`, [input.uploadId]);
    }
    await client.query("COMMIT");
    open = false;
    phase("commit");
    return result;
  } catch (error) {
    if (error instanceof ImportFileError) throw new AppError("INVALID_INPUT", error.message);
    throw error;
  } finally {
    if (open) await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
}
