import type { PgClient } from "@/server/pg-pool";
import { contentHash } from "@/server/domain/items/content-hash";
import type { ParsedRow } from "@/server/domain/imports/import-format";
import { isStorableJson, isStorableText, storableText } from "@/server/storable-text";

/** Separates label names inside one staged cell; control characters never appear in a class name. */
export const LABEL_SEPARATOR = "\u001f";
const BATCH_ROWS = 5_000;

/**
 * The row, or a `bad_encoding` error when a field holds what PostgreSQL cannot store (NUL, an unpaired surrogate);
 * the error's message never carries the offending text.
 */
export function storableRow(parsed: ParsedRow): ParsedRow {
  if (!parsed.ok) return parsed;
  const { line, text, labels, externalId, split, metadata } = parsed.row;
  const fine = (value: string | null) => value === null || isStorableText(value);
  if (
    fine(text) &&
    fine(externalId) &&
    fine(split) &&
    (labels ?? []).every(isStorableText) &&
    (metadata === null || isStorableJson(metadata))
  )
    return parsed;
  return {
    ok: false,
    error: {
      line,
      column: null,
      reason: "bad_encoding",
      message: "The row contains a NUL character or an unpaired UTF-16 surrogate (is the file UTF-16 or binary?)",
    },
  };
}

/**
 * Loads parsed rows (and row errors) into the temporary table `import_stage` in multi-row inserts of a few thousand
 * rows (one `unnest` per column keeps the parameter count fixed), so that validation can run set-based in SQL.
 */
export class RowStager {
  private rowNo = 0;
  private cols = emptyColumns();
  /** The batch PostgreSQL is inserting while the caller parses the next one (never more than one). */
  private inFlight: Promise<void> | undefined;

  /** `classes`: the project's live classes by name; rows whose labels are all known get their ids here, in Node. */
  constructor(
    private readonly client: PgClient,
    private readonly classes: Map<string, { id: number; position: number }>,
  ) {}

  get rows() {
    return this.rowNo;
  }

  static async createTable(client: PgClient) {
    await client.query(`
      CREATE TEMP TABLE import_stage (
        row_no int PRIMARY KEY, line int NOT NULL, text text, content_hash text, external_id text,
        labels text[], split text, metadata jsonb, reason text, column_name text, message text, class_ids int[]
      ) ON COMMIT DROP`);
  }

  async add(row: ParsedRow) {
    const c = this.cols;
    c.rowNo.push(++this.rowNo);
    const parsed = storableRow(row);
    if (!parsed.ok) {
      const { line, column, reason, message } = parsed.error;
      // A message may quote the file (a CSV parser's error, a header name): it is stored too.
      pushRow(
        c,
        line,
        null,
        null,
        null,
        null,
        null,
        null,
        reason,
        column === null ? null : storableText(column),
        storableText(message),
      );
    } else {
      const { line, text, labels, externalId, split, metadata } = parsed.row;
      const metadataJson = metadata ? JSON.stringify(metadata) : null;
      if (labels?.some((name) => /[\u0000-\u001f]/.test(name))) {
        pushRow(
          c,
          line,
          null,
          null,
          null,
          null,
          null,
          null,
          "invalid_label",
          null,
          "A label contains control characters",
        );
      } else {
        pushRow(
          c,
          line,
          text,
          contentHash(text),
          externalId,
          labels ? labels.join(LABEL_SEPARATOR) : null,
          split,
          metadataJson,
          null,
          null,
          null,
        );
        c.classIds.push(labels ? this.classIdsOf(labels) : null);
      }
    }
    if (c.classIds.length < c.rowNo.length) c.classIds.push(null);
    if (c.rowNo.length >= BATCH_ROWS) await this.send();
  }

  /** Ids in class display order, or null when a label is not (yet) a class: SQL resolves those after validation. */
  private classIdsOf(labels: string[]): string | null {
    const found = labels.map((name) => this.classes.get(name));
    if (found.some((c) => c === undefined)) return null;
    const sorted = (found as { id: number; position: number }[]).sort((a, b) => a.position - b.position || a.id - b.id);
    return `{${sorted.map((c) => c.id).join(",")}}`;
  }

  /** Writes every buffered row; call once after the last `add`. */
  async flush() {
    await this.send();
    const last = this.inFlight;
    this.inFlight = undefined;
    await last;
  }

  /**
   * Starts inserting the buffered rows and returns once the previous insert is done, so that parsing the next batch
   * overlaps with PostgreSQL writing this one; an insert's error surfaces at the next `add` or at `flush`.
   */
  private async send() {
    await this.inFlight;
    const c = this.cols;
    if (c.rowNo.length === 0) return;
    this.cols = emptyColumns();
    const insert = this.client.query(
      `INSERT INTO import_stage (row_no, line, text, content_hash, external_id, labels, split, metadata, reason, column_name, message, class_ids)
       SELECT r, l, t, h, e, string_to_array(lb, E'\\x1f'), s, m::jsonb, rs, cn, ms, ci::int[]
       FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS u(r, l, t, h, e, lb, s, m, rs, cn, ms, ci)`,
      [
        c.rowNo,
        c.line,
        c.text,
        c.hash,
        c.externalId,
        c.labels,
        c.split,
        c.metadata,
        c.reason,
        c.column,
        c.message,
        c.classIds,
      ],
    );
    this.inFlight = insert.then(() => undefined);
    // Awaited later (next send or flush); until then a failure must not count as unhandled.
    this.inFlight.catch(() => undefined);
  }
}

function emptyColumns() {
  return {
    rowNo: [] as number[],
    line: [] as number[],
    text: [] as (string | null)[],
    hash: [] as (string | null)[],
    externalId: [] as (string | null)[],
    labels: [] as (string | null)[],
    split: [] as (string | null)[],
    metadata: [] as (string | null)[],
    reason: [] as (string | null)[],
    column: [] as (string | null)[],
    message: [] as (string | null)[],
    classIds: [] as (string | null)[],
  };
}

function pushRow(
  c: ReturnType<typeof emptyColumns>,
  line: number,
  text: string | null,
  hash: string | null,
  externalId: string | null,
  labels: string | null,
  split: string | null,
  metadata: string | null,
  reason: string | null,
  column: string | null,
  message: string | null,
) {
  c.line.push(line);
  c.text.push(text);
  c.hash.push(hash);
  c.externalId.push(externalId);
  c.labels.push(labels);
  c.split.push(split);
  c.metadata.push(metadata);
  c.reason.push(reason);
  c.column.push(column);
  c.message.push(message);
}
