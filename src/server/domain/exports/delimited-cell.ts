/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"): `=`, `+`, `-`, `@`,
 * tab and carriage return. A neutralized cell gets a leading `'`, which spreadsheets hide and treat as "text".
 * Cells that already start with `'`s before such a character get one more, so that the importer, which removes
 * exactly one `'` from a cell matching /^'+[=+\-@\t\r]/ (`unguardCell`), gives every text back unchanged.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/** One CSV/TSV cell: neutralized unless `neutralizeFormulas` is false; quoted (quotes doubled) when it holds the delimiter, a quote or a line break. */
export function delimitedCell(value: string, delimiter: string, neutralizeFormulas = true): string {
  const cell = neutralizeFormulas && FORMULA.test(value) ? `'${value}` : value;
  if (cell.includes(delimiter) || cell.includes('"') || cell.includes("\n") || cell.includes("\r"))
    return `"${cell.replaceAll('"', '""')}"`;
  return cell;
}

export function delimitedLine(values: string[], delimiter: string, neutralizeFormulas = true): string {
  return `${values.map((v) => delimitedCell(v, delimiter, neutralizeFormulas)).join(delimiter)}\n`;
}

/** The inverse of the neutralization, applied to every imported CSV/TSV cell. */
export function unguardCell(cell: string): string {
  return cell.charCodeAt(0) === 0x27 && GUARDED.test(cell) ? cell.slice(1) : cell;
}
