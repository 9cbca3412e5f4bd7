import type { RowError, RowErrorReason } from "@/server/domain/imports/import-format";
import type { ColumnMapping, ImportFormat } from "@/server/schemas/import-options";

export interface SampleRow {
  line: number;
  text: string;
  labels: string[] | null;
  externalId: string | null;
  split: string | null;
}

/** What an import (or its preview) found and did; the same shape for the wizard, the job result and the CLI. */
export interface ImportReport {
  format: ImportFormat;
  columns: string[];
  mapping: ColumnMapping | null;
  /** Rows read (a Lamini line counts once per example). */
  rows: number;
  validRows: number;
  errorCount: number;
  errorsByReason: Partial<Record<RowErrorReason, number>>;
  /** The first errors in line order (at most MAX_REPORTED_ERRORS); `errorCount` has the total. */
  errors: RowError[];
  unknownClasses: { name: string; rows: number }[];
  createdClasses: string[];
  sample: SampleRow[];
  dryRun: boolean;
  committed: boolean;
  /** Why nothing was written, when `committed` is false on a real run. */
  rolledBackBecause: string | null;
  imported: { items: number; labeled: number };
}

export const MAX_REPORTED_ERRORS = 200;
export const SAMPLE_ROWS = 20;
