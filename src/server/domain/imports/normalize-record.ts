import { jsonNestingExceeds, MAX_JSON_DEPTH } from "@/server/domain/imports/json-nesting";
import {
  EMPTY_LABEL_SET,
  type ParsedRow,
  type RowError,
  type RowErrorReason,
} from "@/server/domain/imports/import-format";
import type { ColumnMapping, ImportFormat } from "@/server/schemas/import-options";

export interface NormalizeContext {
  format: ImportFormat;
  mapping: ColumnMapping | undefined;
  maxTextLength: number;
  /**
   * Emissary's binary rows name one label with 0 or 1; a 0 means "the other class", which only the project knows.
   * Returns that class's name, or an error message.
   */
  otherBinaryClass(name: string): { name: string } | { error: string };
  /**
   * Emissary's bare 0/1 (`"completion": 1`, an `expected_output` cell `0`) names no class at all: 1 is a binary
   * project's first class (the one Emissary exports name), 0 its second. Returns that class's name, or an error message.
   */
  binaryFlagClass(flag: 0 | 1): { name: string } | { error: string };
}

type Record_ = Record<string, unknown>;

function fail(line: number, column: string | null, reason: RowErrorReason, message: string): ParsedRow {
  const error: RowError = { line, column, reason, message };
  return { ok: false, error };
}

function checkText(
  value: unknown,
  line: number,
  column: string,
  ctx: NormalizeContext,
): { text: string } | { error: ParsedRow } {
  if (value === undefined || value === null)
    return { error: fail(line, column, "missing_field", `"${column}" is missing`) };
  if (typeof value !== "string")
    return { error: fail(line, column, "missing_field", `"${column}" must be a string, got ${typeof value}`) };
  if (value.trim() === "") return { error: fail(line, column, "empty_text", "The text is empty") };
  if (value.length > ctx.maxTextLength) {
    return {
      error: fail(
        line,
        column,
        "text_too_long",
        `The text has ${value.length.toLocaleString("en")} characters; the limit is ${ctx.maxTextLength.toLocaleString("en")}`,
      ),
    };
  }
  return { text: value };
}

/**
 * A list of names written as JSON inside a string — a CSV cell `["a", "b"]` or a JSONL `"labels": "[\"a\"]"`, as
 * pandas and many scripts write lists — is that list; any other value is itself.
 */
function jsonListIn(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const cell = value.trim();
  if (!cell.startsWith("[") || !cell.endsWith("]") || jsonNestingExceeds(cell)) return value;
  try {
    const list: unknown = JSON.parse(cell);
    return Array.isArray(list) && list.every((name) => typeof name === "string") ? list : value;
  } catch {
    return value;
  }
}

/**
 * A label cell: an array of names (or one written as JSON in a string), one name, or a separated list; blank means
 * unlabeled. An explicitly empty list — JSON `[]`, or the cell `[]` (Margin's CSV/TSV export) — is an item labeled
 * with no class (multi-label projects; run-import reads it as unlabeled elsewhere).
 */
function readLabels(
  raw: unknown,
  separator: string | undefined,
  line: number,
  column: string,
): string[] | null | ParsedRow {
  if (raw === undefined || raw === null) return null;
  const value = jsonListIn(raw);
  if (Array.isArray(value) && value.length === 0) return [];
  if (typeof value === "string" && separator !== undefined && value.trim() === EMPTY_LABEL_SET) return [];
  const names: string[] = [];
  const add = (raw: unknown): string | undefined => {
    if (typeof raw === "number" && Number.isFinite(raw)) raw = String(raw);
    if (typeof raw !== "string") return `Labels must be strings, got ${JSON.stringify(raw)}`;
    const name = raw.trim();
    if (name !== "" && !names.includes(name)) names.push(name);
    return undefined;
  };
  if (Array.isArray(value)) {
    for (const raw of value) {
      const problem = add(raw);
      if (problem) return fail(line, column, "invalid_label", problem);
    }
    return names.length ? names : null;
  }
  if (typeof value === "string" && separator !== undefined) {
    for (const part of value.split(separator)) add(part);
    return names.length ? names : null;
  }
  const problem = add(value);
  if (problem) return fail(line, column, "invalid_label", problem);
  return names.length ? names : null;
}

function optionalString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text =
    typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : JSON.stringify(value);
  return text === "" ? null : text;
}

const POSITIVE = new Set([1, true, "1", "true", "True", "TRUE"]);
const NEGATIVE = new Set([0, false, "0", "false", "False", "FALSE", "", null]);

/** The two spellings of an Emissary record: `prompt` + `completion` (JSONL, CSV) and `input` + `expected_output` (CSV). */
export function emissaryFields(keys: readonly string[]): { text: string; labels: string } {
  return keys.includes("input") && !keys.includes("prompt")
    ? { text: "input", labels: "expected_output" }
    : { text: "prompt", labels: "completion" };
}

function flagOf(value: unknown): 0 | 1 | undefined {
  if (value === "" || value === null) return undefined;
  if (POSITIVE.has(value as never)) return 1;
  if (NEGATIVE.has(value as never)) return 0;
  return undefined;
}

/**
 * Emissary's label value: an object `{label: 0|1, …}` (one key with 0 in a binary file means the other class), or a
 * bare 0/1 for a binary project. A string (a CSV cell) holds either, as JSON.
 */
function emissaryLabels(
  value: unknown,
  line: number,
  column: string,
  ctx: NormalizeContext,
): string[] | null | ParsedRow {
  let completion = value;
  if (typeof completion === "string") {
    if (completion.trim() === "")
      return fail(line, column, "missing_field", `"${column}" is empty: write 0, 1 or an object of label: 0 or 1`);
    completion = flagOf(completion.trim()) ?? completion;
  }
  if (typeof completion === "string") {
    const cell = completion;
    if (jsonNestingExceeds(cell))
      return fail(line, column, "too_deeply_nested", `"${column}" nests deeper than ${MAX_JSON_DEPTH} levels`);
    try {
      completion = JSON.parse(cell);
    } catch (error) {
      // Broken JSON is an object or list that does not parse; a word such as "yes" is a wrong value.
      if (!/^[[{]/.test(cell.trim())) {
        return fail(
          line,
          column,
          "invalid_label",
          `"${column}" must be 0, 1 or an object of label: 0 or 1, got ${JSON.stringify(cell)}`,
        );
      }
      return fail(line, column, "malformed_json", `"${column}" is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (completion === undefined || completion === null)
    return fail(line, column, "missing_field", `"${column}" is missing`);
  const flag = typeof completion === "object" ? undefined : flagOf(completion);
  if (flag !== undefined) {
    const named = ctx.binaryFlagClass(flag);
    if ("error" in named) return fail(line, column, "invalid_label", named.error);
    return [named.name];
  }
  if (typeof completion !== "object" || Array.isArray(completion)) {
    return fail(
      line,
      column,
      "invalid_label",
      `"${column}" must be 0, 1 or an object of label: 0 or 1, got ${JSON.stringify(completion)}`,
    );
  }
  const entries = Object.entries(completion as Record_);
  const labels: string[] = [];
  for (const [name, flag] of entries) {
    if (POSITIVE.has(flag as never)) labels.push(name.trim());
    else if (!NEGATIVE.has(flag as never))
      return fail(line, column, "invalid_label", `Label "${name}" must be 0 or 1, got ${JSON.stringify(flag)}`);
  }
  if (entries.length === 1 && labels.length === 0) {
    const other = ctx.otherBinaryClass(entries[0]![0].trim());
    if ("error" in other) return fail(line, column, "invalid_label", other.error);
    return [other.name];
  }
  // Every label 0 (the export writes each class): labeled with no class; `{}` says nothing.
  return labels.length || entries.length > 1 ? labels : null;
}

function metadataOf(record: Record_, used: Set<string>): Record<string, unknown> | null {
  let metadata: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(record)) {
    if (used.has(key) || value === undefined || value === "") continue;
    metadata ??= {};
    metadata[key] = value;
  }
  return metadata;
}

/**
 * Turns one parsed record (a JSON object, or a CSV row keyed by header) into import rows. A Lamini line holds all
 * examples of one class, so it becomes several rows on the same line.
 */
export function normalizeRecord(record: Record_, line: number, ctx: NormalizeContext): ParsedRow[] {
  switch (ctx.format) {
    case "lamini": {
      const className = record.class_name;
      if (typeof className !== "string" || className.trim() === "")
        return [fail(line, "class_name", "missing_field", '"class_name" must be a non-empty string')];
      const column = "examples" in record ? "examples" : "data";
      const value = record[column];
      const texts = Array.isArray(value) ? value : value === undefined ? undefined : [value];
      if (!texts)
        return [fail(line, "examples", "missing_field", 'A Lamini line needs "examples" (a list of texts) or "data"')];
      return texts.map((raw): ParsedRow => {
        const checked = checkText(raw, line, column, ctx);
        if ("error" in checked) return checked.error;
        return {
          ok: true,
          row: { line, text: checked.text, labels: [className.trim()], externalId: null, split: null, metadata: null },
        };
      });
    }
    case "emissary-jsonl":
    case "emissary-csv": {
      const fields = emissaryFields(Object.keys(record));
      const checked = checkText(record[fields.text], line, fields.text, ctx);
      if ("error" in checked) return [checked.error];
      let labels: string[] | null | ParsedRow;
      if (fields.labels in record) labels = emissaryLabels(record[fields.labels], line, fields.labels, ctx);
      else {
        // The wide CSV variant: one 0/1 column per label instead of a JSON completion.
        const { [fields.text]: _text, ...flags } = record;
        labels = emissaryLabels(flags, line, fields.labels, ctx);
      }
      if (labels !== null && !Array.isArray(labels)) return [labels];
      return [{ ok: true, row: { line, text: checked.text, labels, externalId: null, split: null, metadata: null } }];
    }
    case "text": {
      const checked = checkText(record.text, line, "text", ctx);
      if ("error" in checked) return [checked.error];
      return [
        { ok: true, row: { line, text: checked.text, labels: null, externalId: null, split: null, metadata: null } },
      ];
    }
    default: {
      const mapping = ctx.mapping;
      if (!mapping) return [fail(line, null, "missing_field", "No column mapping: choose the text column")];
      const checked = checkText(record[mapping.text], line, mapping.text, ctx);
      if ("error" in checked) return [checked.error];
      let labels: string[] | null = null;
      if (mapping.labels) {
        const read = readLabels(record[mapping.labels], mapping.labelSeparator, line, mapping.labels);
        if (read !== null && !Array.isArray(read)) return [read];
        labels = read;
      }
      const used = new Set(
        [mapping.text, mapping.labels, mapping.id, mapping.split].filter((c): c is string => c !== undefined),
      );
      return [
        {
          ok: true,
          row: {
            line,
            text: checked.text,
            labels,
            externalId: mapping.id ? optionalString(record[mapping.id]) : null,
            split: mapping.split ? optionalString(record[mapping.split]) : null,
            metadata: metadataOf(record, used),
          },
        },
      ];
    }
  }
}
