import { guessMapping } from "@/server/domain/imports/guess-mapping";
import type { ImportFormat } from "@/server/schemas/import-options";

export interface DetectedFormat {
  format: ImportFormat;
  delimiter?: "," | ";" | "\t" | "|";
  /** Why this format was chosen, for the wizard. */
  reason: string;
}

const CANDIDATES = [",", "\t", ";", "|"] as const;

/** Counts each candidate delimiter outside double quotes in a header line. */
function delimiterCounts(line: string): Map<(typeof CANDIDATES)[number], number> {
  const counts = new Map(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch as never)) counts.set(ch as never, counts.get(ch as never)! + 1);
  }
  return counts;
}

/** Picks the header's most frequent delimiter, or none. */
export function guessDelimiter(headerLine: string): (typeof CANDIDATES)[number] | undefined {
  let best: (typeof CANDIDATES)[number] | undefined;
  let bestCount = 0;
  for (const [d, count] of delimiterCounts(headerLine)) {
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

function splitHeader(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => cell.trim().replace(/^"|"$/g, "").toLowerCase());
}

/**
 * Whether lines that hold a delimiter are a table rather than prose with commas: the header names a text column
 * (`text`, `sentence`, …, Emissary's `input`), or the next lines (up to 5) split into as many fields as the header. A .txt file of
 * sentences would otherwise be read as a CSV whose header is its first sentence.
 */
function looksTabular(lines: string[], headerLine: string, delimiter: (typeof CANDIDATES)[number]): boolean {
  const header = splitHeader(headerLine, delimiter);
  if (guessMapping(header) || (header.includes("input") && header.includes("expected_output"))) return true;
  const fields = (line: string) => delimiterCounts(line).get(delimiter)! + 1;
  const rows = lines
    .slice(lines.indexOf(headerLine) + 1)
    .filter((line) => line.trim() !== "")
    .slice(0, 5);
  return rows.length > 0 && rows.every((line) => fields(line) === fields(headerLine));
}

/**
 * Guesses the format from the first bytes of a file (and its name): JSON objects per line are Lamini, Emissary or
 * generic JSONL by their keys; otherwise the header's delimiter decides between CSV/TSV, and plain text remains.
 */
export function detectFormat(sample: Buffer, fileName?: string): DetectedFormat {
  let text = sample.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  // The sample may end mid-line; a last partial line is only used when it is the only one.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  const first = complete.find((line) => line.trim() !== "") ?? "";
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];

  const start = first.trimStart();
  // A JSON array of objects on one line (or a .json/.jsonl file opening one) is read as JSON: each object is a row.
  const array =
    start.startsWith("[") &&
    (start.slice(1).trimStart().startsWith("{") || extension === "json" || extension === "jsonl");
  if (start.startsWith("{") || array) {
    let keys: string[] | undefined;
    try {
      const parsed: unknown = JSON.parse(first);
      const value = Array.isArray(parsed) ? parsed[0] : parsed;
      if (value && typeof value === "object" && !Array.isArray(value)) keys = Object.keys(value);
    } catch {
      // A truncated first line still shows its keys.
    }
    const has = (key: string) => (keys ? keys.includes(key) : first.includes(`"${key}"`));
    const shape = array ? "a JSON array of objects" : "JSON lines";
    if (has("class_name") && (has("examples") || has("data")))
      return { format: "lamini", reason: `${shape} with "class_name" and "examples"` };
    if (has("prompt") && has("completion"))
      return { format: "emissary-jsonl", reason: `${shape} with "prompt" and "completion"` };
    return {
      format: "jsonl",
      reason: array ? "a JSON array of objects: each object is a row" : "one JSON object per line",
    };
  }

  // Excel's hint line "sep=;" names the delimiter; the header follows it (the CSV reader skips the hint).
  const hinted = first.match(/^sep=([,;\t|])\s*$/)?.[1] as (typeof CANDIDATES)[number] | undefined;
  const headerLine = hinted
    ? (complete.slice(complete.indexOf(first) + 1).find((line) => line.trim() !== "") ?? "")
    : first;
  const guessed = hinted ?? guessDelimiter(first);
  const delimiter =
    guessed && (hinted || extension === "csv" || extension === "tsv" || looksTabular(complete, headerLine, guessed))
      ? guessed
      : undefined;
  if (delimiter) {
    const header = splitHeader(headerLine, delimiter);
    if (delimiter === "," && header.includes("input") && header.includes("expected_output")) {
      return { format: "emissary-csv", delimiter, reason: 'CSV with "input" and "expected_output" columns' };
    }
    if (delimiter === "," && header.includes("prompt") && header.length >= 2) {
      return { format: "emissary-csv", delimiter, reason: 'CSV with a "prompt" column' };
    }
    if (delimiter === "\t") return { format: "tsv", delimiter, reason: "tab-separated header" };
    if (hinted) return { format: "csv", delimiter, reason: `"sep=${delimiter}" line (Excel's delimiter hint)` };
    return {
      format: "csv",
      delimiter,
      reason: delimiter === "," ? "comma-separated header" : `"${delimiter}"-separated header`,
    };
  }
  if (extension === "csv") return { format: "csv", delimiter: ",", reason: "single-column .csv file" };
  if (extension === "tsv") return { format: "tsv", delimiter: "\t", reason: "single-column .tsv file" };
  if (extension === "jsonl" || extension === "json") return { format: "jsonl", reason: ".jsonl file" };
  return { format: "text", reason: "no JSON or delimited header: one text per line" };
}
