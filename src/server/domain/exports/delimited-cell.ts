/** One CSV/TSV cell: quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
export function delimitedCell(value: string, delimiter: string): string {
  if (value.includes(delimiter) || value.includes('"') || value.includes("\n") || value.includes("\r")) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

export function delimitedLine(values: string[], delimiter: string): string {
  return `${values.map((v) => delimitedCell(v, delimiter)).join(delimiter)}\n`;
}
