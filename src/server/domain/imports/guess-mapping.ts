import { MARGIN_LABEL_SEPARATOR } from "@/server/domain/imports/import-format";
import type { ColumnMapping } from "@/server/schemas/import-options";

const TEXT = ["text", "sentence", "content", "prompt", "data", "document", "review", "body", "message", "question"];
const LABELS = ["labels", "label", "class", "class_name", "category", "intent", "target", "tags"];
const IDS = ["id", "external_id", "uid", "guid", "key"];
const SPLITS = ["split", "subset", "set"];

function pick(columns: string[], names: string[]): string | undefined {
  const lower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
  for (const name of names) {
    const found = lower.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * A starting mapping for the wizard from common column names; the user confirms or changes it. For a multi-label
 * project a label cell is read as names joined with "|", as Margin's CSV/TSV export writes them, so an export
 * re-imports with the guessed mapping; a single-label project reads the cell as one name.
 */
export function guessMapping(columns: string[], options: { multiLabel?: boolean } = {}): ColumnMapping | undefined {
  const text = pick(columns, TEXT) ?? (columns.length === 1 ? columns[0] : undefined);
  if (text === undefined) return undefined;
  const rest = columns.filter((c) => c !== text);
  const labels = pick(rest, LABELS);
  return {
    text,
    ...(labels ? { labels, ...(options.multiLabel ? { labelSeparator: MARGIN_LABEL_SEPARATOR } : {}) } : {}),
    ...(pick(rest, IDS) ? { id: pick(rest, IDS) } : {}),
    ...(pick(rest, SPLITS) ? { split: pick(rest, SPLITS) } : {}),
  };
}
