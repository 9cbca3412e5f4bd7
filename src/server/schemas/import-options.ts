import { z } from "zod";

// A leaf (zod only): the import job's payload carries these options, and server/jobs imports no domain file.

/**
 * File formats Margin reads and writes. `lamini` is the LaminiClassifier examples file (one line per class:
 * `{"class_name", "examples": [...]}`); `emissary-*` is Emissary's classification data (`prompt` + `completion` with a
 * 0/1 value per label); `csv`, `tsv` and `jsonl` are generic tables read through a column mapping; `text` is one
 * unlabeled text per line.
 */
export const importFormats = ["lamini", "emissary-jsonl", "emissary-csv", "csv", "tsv", "jsonl", "text"] as const;
export const importFormat = z.enum(importFormats);
export type ImportFormat = z.infer<typeof importFormat>;

export const delimiters = [",", ";", "\t", "|"] as const;
export const delimiter = z.enum(delimiters);

/** Which column (CSV/TSV header name) or field (JSONL key) holds what; only `text` is required. */
export const columnMapping = z.object({
  text: z.string().min(1, "Choose the column that holds the text"),
  labels: z.string().min(1).optional(),
  /** Splits one cell into several labels (multi-label); unset means one label per row. */
  labelSeparator: z.string().min(1).max(5).optional(),
  id: z.string().min(1).optional(),
  split: z.string().min(1).optional(),
});
export type ColumnMapping = z.infer<typeof columnMapping>;

/** Longest accepted text in characters, for imports and for the CLI's train/eval files alike. */
export const DEFAULT_MAX_TEXT_LENGTH = 100_000;
export const MAX_TEXT_LENGTH_LIMIT = 1_000_000;

export const importOptions = z.object({
  format: importFormat,
  /** Generic formats only; guessed from the header when omitted. */
  mapping: columnMapping.optional(),
  delimiter: delimiter.optional(),
  /** CSV/TSV without a header row: columns are then named "1", "2", … */
  hasHeader: z.boolean().default(true),
  /** `valid-rows`: import what is valid and report the rest; `all-or-nothing`: any error imports nothing. */
  mode: z.enum(["valid-rows", "all-or-nothing"]).default("all-or-nothing"),
  /** Create classes that the file names but the project does not have (otherwise such rows are errors). */
  createMissingClasses: z.boolean().default(false),
  maxTextLength: z.number().int().min(1).max(MAX_TEXT_LENGTH_LIMIT).default(DEFAULT_MAX_TEXT_LENGTH),
});
export type ImportOptions = z.input<typeof importOptions>;
export type ResolvedImportOptions = z.output<typeof importOptions>;
