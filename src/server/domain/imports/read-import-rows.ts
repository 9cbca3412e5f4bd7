import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { unguardCell } from "@/server/domain/exports/delimited-cell";
import { guessDelimiter } from "@/server/domain/imports/detect-format";
import { guessMapping } from "@/server/domain/imports/guess-mapping";
import { spreadJsonMessage, wrappedRowsKey } from "@/server/domain/imports/json-file-shape";
import { jsonNestingExceeds, MAX_JSON_DEPTH } from "@/server/domain/imports/json-nesting";
import { ImportFileError, type ParsedRow } from "@/server/domain/imports/import-format";
import type { ColumnMapping, ResolvedImportOptions } from "@/server/schemas/import-options";
import { normalizeRecord, type NormalizeContext } from "@/server/domain/imports/normalize-record";
import { splitLines } from "@/server/domain/imports/split-lines";
import { Utf8LineChecker } from "@/server/domain/imports/utf8-line-checker";

export interface ReadRowsOptions extends Pick<
  ResolvedImportOptions,
  "format" | "mapping" | "delimiter" | "hasHeader" | "maxTextLength"
> {
  otherBinaryClass: NormalizeContext["otherBinaryClass"];
  /** Without it (no project at hand) a bare Emissary 0/1 is a row error. */
  binaryFlagClass?: NormalizeContext["binaryFlagClass"];
  /** The target is multi-label: a guessed CSV/TSV mapping splits label cells on "|", as Margin's export joins them. */
  multiLabel?: boolean;
  /** Called once with the file's columns (CSV header or the first JSON object's keys) and the mapping in use. */
  onColumns?: (columns: string[], mapping: ColumnMapping | undefined) => void;
}

/** A line may hold a whole text (up to 4 bytes per character) plus the record's other fields. */
export function maxLineBytes(maxTextLength: number) {
  return maxTextLength * 4 + 64 * 1024;
}

/**
 * Streams the rows of an import file: each yielded value is a row ready for staging or a row error with its line.
 * Memory is bounded by the longest line; a problem with the whole file (no text column) throws ImportFileError.
 */
export async function* readImportRows(
  source: AsyncIterable<Uint8Array>,
  options: ReadRowsOptions,
): AsyncGenerator<ParsedRow> {
  if (options.format === "csv" || options.format === "tsv" || options.format === "emissary-csv") {
    yield* readDelimited(source, options);
  } else {
    yield* readLines(source, options);
  }
}

// A stray quote: it opens inside an unquoted field, or a quoted field goes on after its closing quote.
const QUOTE_ERRORS = new Set(["INVALID_OPENING_QUOTE", "CSV_INVALID_CLOSING_QUOTE"]);

const EMISSARY_COLUMNS = new Set(["prompt", "completion", "input", "expected_output"]);

const noBinaryClasses = () => ({ error: "A bare 0 or 1 needs a binary project: 1 is its first class, 0 its second" });

function contextOf(options: ReadRowsOptions, mapping: ColumnMapping | undefined): NormalizeContext {
  return {
    format: options.format,
    mapping,
    maxTextLength: options.maxTextLength,
    otherBinaryClass: options.otherBinaryClass,
    binaryFlagClass: options.binaryFlagClass ?? noBinaryClasses,
  };
}

async function* readLines(source: AsyncIterable<Uint8Array>, options: ReadRowsOptions): AsyncGenerator<ParsedRow> {
  const limit = maxLineBytes(options.maxTextLength);
  let ctx: NormalizeContext | undefined;
  for await (const { line, bytes, truncated } of splitLines(source, limit)) {
    if (truncated) {
      yield {
        ok: false,
        error: {
          line,
          column: null,
          reason: "line_too_long",
          message: `The line is longer than ${limit.toLocaleString("en")} bytes`,
        },
      };
      continue;
    }
    if (!isUtf8(bytes)) {
      yield {
        ok: false,
        error: {
          line,
          column: null,
          reason: "bad_encoding",
          message: "The line is not valid UTF-8 (save the file as UTF-8)",
        },
      };
      continue;
    }
    const text = bytes.toString("utf8");
    if (text.trim() === "") continue;
    if (options.format === "text") {
      ctx ??= contextOf(options, undefined);
      yield* normalizeRecord({ text }, line, ctx);
      continue;
    }
    const spread = ctx ? undefined : spreadJsonMessage(text);
    if (spread) throw new ImportFileError(spread);
    if (jsonNestingExceeds(text)) {
      yield {
        ok: false,
        error: {
          line,
          column: null,
          reason: "too_deeply_nested",
          message: `The JSON nests deeper than ${MAX_JSON_DEPTH} levels`,
        },
      };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield {
        ok: false,
        error: { line, column: null, reason: "malformed_json", message: `Not valid JSON: ${(error as Error).message}` },
      };
      continue;
    }
    // A line holding an array of objects (a whole JSON array written on one line) gives one row per object.
    const records: unknown[] = Array.isArray(value) ? value : [value];
    const notObjects: number[] = [];
    for (const [index, record] of records.entries()) {
      if (record === null || typeof record !== "object" || Array.isArray(record)) {
        notObjects.push(index + 1);
        continue;
      }
      if (!ctx) {
        const wrapper =
          options.format === "jsonl" && !options.mapping
            ? wrappedRowsKey(record as Record<string, unknown>)
            : undefined;
        if (wrapper !== undefined) {
          throw new ImportFileError(
            `The file is one JSON object whose "${wrapper}" holds the rows; Margin reads one JSON object per row (JSON lines). Convert it, e.g. with jq -c '.${JSON.stringify(wrapper)}[]' file.json > file.jsonl`,
          );
        }
        const columns = Object.keys(record);
        const mapping = options.format === "jsonl" ? (options.mapping ?? guessMapping(columns)) : undefined;
        if (options.format === "jsonl" && !mapping) {
          throw new ImportFileError(
            `No text field found among ${columns.map((c) => `"${c}"`).join(", ")}: choose the text field in the mapping`,
          );
        }
        options.onColumns?.(columns, mapping);
        ctx = contextOf(options, mapping);
      }
      yield* normalizeRecord(record as Record<string, unknown>, line, ctx);
    }
    if (notObjects.length) {
      const message = Array.isArray(value)
        ? `${notObjects.length === 1 ? "Element" : "Elements"} ${notObjects.slice(0, 10).join(", ")}${notObjects.length > 10 ? ", …" : ""} of the JSON array ${notObjects.length === 1 ? "is not an object" : "are not objects"}: each row must be a JSON object`
        : "Each line must be one JSON object";
      yield { ok: false, error: { line, column: null, reason: "malformed_json", message } };
    }
  }
}

async function* readDelimited(source: AsyncIterable<Uint8Array>, options: ReadRowsOptions): AsyncGenerator<ParsedRow> {
  const limit = maxLineBytes(options.maxTextLength);
  const delimiter =
    options.format === "tsv" ? "\t" : options.format === "emissary-csv" ? "," : (options.delimiter ?? ",");
  const checker = new Utf8LineChecker(limit);
  const skipped: ParsedRow[] = [];
  let lastSkippedLine = -1;
  // csv-parse's blank-line count when the latest record ended: blank lines after it precede the next record.
  let emptyLinesBefore = 0;
  // The header's cells as the parser passed them (it runs ahead of the loop below, which sets `header`).
  let headerCells: string[] | undefined;
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    record_delimiter: ["\r\n", "\n"],
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: limit,
    on_record: (record, context) => {
      emptyLinesBefore = context.empty_lines;
      const cells = (record as unknown as { record: string[] }).record;
      const hint = cells.length === 2 && cells[0] === "sep=" && cells[1] === "";
      if (options.hasHeader && !hint) headerCells ??= cells.map((cell) => cell.trim());
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      if (!error) return;
      if (error.code === "CSV_QUOTE_NOT_CLOSED") {
        skipped.push(unclosedQuote(error, checker, delimiter, emptyLinesBefore, headerCells));
        return;
      }
      // A skipped record ends where it was found bad (blank lines are never inside one).
      if (typeof error.empty_lines === "number") emptyLinesBefore = error.empty_lines;
      const line = typeof error.lines === "number" ? error.lines : 0;
      // An over-long record is cut into several skipped pieces that all end on the same line: report it once.
      if (line === lastSkippedLine) return;
      lastSkippedLine = line;
      const reason = error.code === "CSV_MAX_RECORD_SIZE" ? "line_too_long" : "malformed_csv";
      const advice = QUOTE_ERRORS.has(error.code)
        ? ` (a field that holds quotes must be quoted as a whole, each quote inside it doubled: "she said ""hi""")`
        : "";
      skipped.push({ ok: false, error: { line, column: null, reason, message: error.message + advice } });
    },
  });
  const input = Readable.from(source, { objectMode: false });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(checker).pipe(parser);

  let header: string[] | undefined;
  let ctx: NormalizeContext | undefined;
  let previousEnd = 0;
  let previousEmpty = 0;
  let dataRows = 0;
  for await (const { info, record } of parser as AsyncIterable<{
    info: { lines: number; empty_lines: number };
    record: string[];
  }>) {
    while (skipped.length) yield skipped.shift()!;
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    const endLine = info.lines;
    previousEnd = endLine;
    previousEmpty = info.empty_lines;
    // Excel's delimiter hint ("sep=;" as the first line) is not the header.
    if (!header && dataRows === 0 && record.length === 2 && record[0] === "sep=" && record[1] === "") continue;
    if (!header) {
      header = options.hasHeader ? record.map((cell) => cell.trim()) : record.map((_, i) => String(i + 1));
      // Detection ignores case; Emissary's own column names are matched the same way (label columns keep theirs).
      if (options.format === "emissary-csv")
        header = header.map((name) => (EMISSARY_COLUMNS.has(name.toLowerCase()) ? name.toLowerCase() : name));
      refuseDuplicateColumns(header);
      // A column without a name keeps its cells (in metadata) under its position; several would all be "" and lose all but one.
      header = header.map((name, i) => (name === "" ? `column ${i + 1}` : name));
      const mapping = resolveMapping(header, options);
      options.onColumns?.(header, mapping);
      ctx = contextOf(options, mapping);
      if (options.hasHeader) continue;
    }
    dataRows++;
    let bad = false;
    for (let l = line; l <= endLine && !bad; l++) bad = checker.badLines.has(l);
    if (bad) {
      yield {
        ok: false,
        error: {
          line,
          column: null,
          reason: "bad_encoding",
          message: "The row is not valid UTF-8 (save the file as UTF-8)",
        },
      };
      continue;
    }
    if (record.length !== header.length) {
      yield {
        ok: false,
        error: {
          line,
          column: null,
          reason: "malformed_csv",
          message: `The row has ${record.length} fields; the header has ${header.length} (check quoting and the delimiter)`,
        },
      };
      continue;
    }
    const row: Record<string, unknown> = {};
    // A leading ' that an export added against spreadsheet formulas (delimited-cell.ts) is removed.
    header.forEach((name, i) => (row[name] = unguardCell(record[i]!)));
    yield* normalizeRecord(row, line, ctx!);
  }
  const errors = skipped.length;
  while (skipped.length) yield skipped.shift()!;
  if (options.hasHeader && header && dataRows === 0 && errors === 0) {
    const quoted = header.find((name) => name.includes('"'));
    if (quoted !== undefined) {
      throw new ImportFileError(
        `The file has no rows: its only record is a header whose column name is made of quotes (${preview(quoted)}). Its quotes do not pair up as CSV expects: a field that starts with a quote ends at the next lone quote, and a quote inside it is written "".`,
      );
    }
  }
}

/** Two columns with one name would both map to it, and the later one would silently win. */
function refuseDuplicateColumns(header: string[]) {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === "") return; // trailing empty columns (spreadsheet exports) carry nothing
    const first = seen.get(name);
    if (first !== undefined)
      throw new ImportFileError(
        `The header names "${name}" twice (columns ${first + 1} and ${i + 1}): rename one of them so each column has its own name`,
      );
    seen.set(name, i);
  });
}

/** A header cell as a message quotes it: at most 40 characters, with its length when cut. */
function preview(cell: string) {
  return cell.length <= 40 ? cell : `${cell.slice(0, 40)}…, ${cell.length.toLocaleString("en")} characters`;
}

/**
 * csv-parse notices an unclosed quote only at the end of the file and says "at line <last line>". Its error fields
 * place the quote: `bytes` is where the last record or field delimiter ended, `index` the number of fields the open
 * record had before the quoted one (a quote opens only at the start of a field), `empty_lines` counts blank lines
 * skipped since the last record; the line checker maps that byte offset to a line.
 */
function unclosedQuote(
  error: CsvError,
  checker: Utf8LineChecker,
  delimiter: string,
  emptyLinesAtLastRecord: number,
  header: string[] | undefined,
): ParsedRow {
  const end = typeof error.bytes === "number" ? error.bytes : undefined;
  const fieldIndex = typeof error.index === "number" ? error.index : 0;
  const offset = end === undefined ? undefined : fieldIndex > 0 ? end + Buffer.byteLength(delimiter) : end;
  let line = offset === undefined ? undefined : checker.lineAt(offset);
  // A quote in the record's first field comes after the blank lines (if any) that follow the previous record.
  if (line !== undefined && fieldIndex === 0 && typeof error.empty_lines === "number")
    line += error.empty_lines - emptyLinesAtLastRecord;
  const column = header?.[fieldIndex] ?? null;
  const field = `${fieldIndex === 0 ? "the first field" : `field ${fieldIndex + 1}`}${column === null ? "" : ` ("${column}")`}`;
  const message =
    line === undefined
      ? `A quote in ${field} is never closed, so the rest of the file was read as one field: close it (a quote inside a quoted field is written "")`
      : `The quote that opens ${field} on line ${line} is never closed, so the rest of the file was read as one field: close it (a quote inside a quoted field is written "")`;
  return {
    ok: false,
    error: {
      line: line ?? (typeof error.lines === "number" ? error.lines : 0),
      column,
      reason: "malformed_csv",
      message,
    },
  };
}

function resolveMapping(header: string[], options: ReadRowsOptions): ColumnMapping | undefined {
  const hint = () => {
    if (header.length !== 1) return "";
    const other = guessDelimiter(header[0]!);
    return other ? ` The header looks "${other === "\t" ? "\\t" : other}"-separated: choose that delimiter.` : "";
  };
  if (options.format === "emissary-csv") {
    if (!header.includes("prompt") && !(header.includes("input") && header.includes("expected_output"))) {
      throw new ImportFileError(
        `An Emissary CSV needs "input" and "expected_output" columns (or "prompt"); the header has ${header.map((c) => `"${c}"`).join(", ")}.${hint()}`,
      );
    }
    return undefined;
  }
  if (!options.mapping && header.length === 1 && guessDelimiter(header[0]!)) {
    throw new ImportFileError(`No text column found among "${header[0]}": choose it in the mapping.${hint()}`);
  }
  const mapping = options.mapping ?? guessMapping(header, { multiLabel: options.multiLabel });
  if (!mapping)
    throw new ImportFileError(
      `No text column found among ${header.map((c) => `"${c}"`).join(", ")}: choose it in the mapping.${hint()}`,
    );
  for (const [role, column] of Object.entries(mapping)) {
    if (role === "labelSeparator" || column === undefined) continue;
    if (!header.includes(column)) {
      throw new ImportFileError(
        `Column "${column}" (${role}) is not in the header ${header.map((c) => `"${c}"`).join(", ")}.${hint()}`,
      );
    }
  }
  return mapping;
}
