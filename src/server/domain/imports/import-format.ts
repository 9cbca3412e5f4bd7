/** Margin's CSV/TSV label cells: class names joined with this (export), split on it (guessed multi-label import). */
export const MARGIN_LABEL_SEPARATOR = "|";
/** Margin's CSV/TSV cell for an item labeled with no class (multi-label); an empty cell is an unlabeled item. */
export const EMPTY_LABEL_SET = "[]";

export const rowErrorReasons = [
  "malformed_json",
  "malformed_csv",
  "too_deeply_nested",
  "bad_encoding",
  "empty_text",
  "text_too_long",
  "line_too_long",
  "missing_field",
  "invalid_label",
  "unknown_class",
  "too_many_labels",
  "invalid_split",
  "duplicate_id",
  "duplicate_text",
] as const;
export type RowErrorReason = (typeof rowErrorReasons)[number];

/** One problem with one row: `line` is the 1-based physical line where the row starts, `column` the field at fault. */
export interface RowError {
  line: number;
  column: string | null;
  reason: RowErrorReason;
  message: string;
}

/** A row that parsed: labels `null` means unlabeled; `[]` never reaches the database as a label. */
export interface ImportRow {
  line: number;
  text: string;
  labels: string[] | null;
  externalId: string | null;
  split: string | null;
  metadata: Record<string, unknown> | null;
}

export type ParsedRow = { ok: true; row: ImportRow } | { ok: false; error: RowError };

/** A problem with the whole file (no usable header, wrong format): nothing can be imported. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportFileError";
  }
}
