/**
 * Why a JSON file is not JSON lines, when its first line shows it: the opening bracket or brace of one value
 * pretty-printed over many lines. Undefined for anything else (a line of its own is judged row by row).
 */
export function spreadJsonMessage(firstLine: string): string | undefined {
  const start = firstLine.trim();
  if (start === "[") {
    return "The file is a JSON array spread over several lines; Margin reads one JSON object per line (JSON lines) or a whole array on one line. Convert it, e.g. with jq -c '.[]' file.json > file.jsonl";
  }
  if (start === "{") {
    return "The file is one JSON object spread over several lines; Margin reads one JSON object per line (JSON lines), each object a row. Convert it, e.g. with jq -c '.' file.json > file.jsonl (or jq -c '.KEY[]' when a key holds the array of rows)";
  }
  return undefined;
}

/**
 * The key of an object that only wraps the rows (`{"data": [{…}, {…}]}`, a common API dump), or undefined. Its rows
 * would otherwise be read as one record whose text field holds an array.
 */
export function wrappedRowsKey(record: Record<string, unknown>): string | undefined {
  const keys = Object.keys(record);
  if (keys.length !== 1) return undefined;
  const value = record[keys[0]!];
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return first !== null && typeof first === "object" && !Array.isArray(first) ? keys[0] : undefined;
}
