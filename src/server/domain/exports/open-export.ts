import type { PgPool } from "@/server/pg-pool";
import { AppError } from "@/server/errors";
import { delimitedLine } from "@/server/domain/exports/delimited-cell";
import {
  exportFileTypes,
  exportInput,
  type ExportInput,
  type ResolvedExportInput,
} from "@/server/domain/exports/export-input";
import { exportItems, type ExportItem } from "@/server/domain/exports/export-rows";
import { EMPTY_LABEL_SET, MARGIN_LABEL_SEPARATOR } from "@/server/domain/imports/import-format";

/** Multi-label cells in CSV/TSV exports join class names with this; the import mapping splits on it. */
const FLUSH_CHARS = 64 * 1024;

export interface OpenedExport {
  fileName: string;
  contentType: string;
  /** The file's text in chunks of about 64 KB, produced as they are read. */
  chunks: AsyncGenerator<string>;
}

interface ExportClass {
  id: number;
  name: string;
}

/**
 * Checks the project and returns the export as a lazy stream of text chunks: nothing is read until the consumer
 * pulls, and at most one page of items is held at a time. Formats: Margin JSONL (`id, text, labels, split, origin,
 * labeled_at`), HF-style JSONL (`text` + `label`, or `labels` for multi-label), CSV/TSV (`id,text,label,split`, labels
 * joined with "|"), Emissary JSONL (`prompt` + `completion`) and CSV (`input,expected_output`), Lamini (`class_name` +
 * `examples` per class) and plain text.
 */
export async function openExport(pool: PgPool, rawInput: ExportInput | ResolvedExportInput): Promise<OpenedExport> {
  const input = exportInput.parse(rawInput);
  const project = await pool.query<{ name: string; task_type: string }>(
    `SELECT name, task_type FROM project WHERE id = $1`,
    [input.projectId],
  );
  const row = project.rows[0];
  if (!row) throw new AppError("NOT_FOUND", `Project ${input.projectId} does not exist`);
  // Archived classes still name old labels; live classes come first, in display order.
  const classes = (
    await pool.query<ExportClass & { archived: boolean }>(
      `SELECT id, name, archived_at IS NOT NULL AS archived FROM label_class WHERE project_id = $1 ORDER BY archived_at IS NOT NULL, position, id`,
      [input.projectId],
    )
  ).rows;
  const names = new Map(classes.map((c) => [c.id, c.name]));
  const labelsOf = (item: ExportItem) => item.classIds.map((id) => names.get(id) ?? `#${id}`);
  // An unlabeled item has no label list (null, an empty CSV cell); a multi-label item labeled with no class has an
  // empty one ([], the CSV cell "[]"), so the two stay apart through a round trip.
  const labelListOf = (item: ExportItem) => (item.labeled ? labelsOf(item) : null);
  const multiLabel = row.task_type === "multilabel";
  const binary = row.task_type === "binary";
  const { extension, contentType } = exportFileTypes[input.format];
  const slug =
    row.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "project";

  async function* lines(): AsyncGenerator<string> {
    const items = (labeledOnly: boolean, classId?: number) => exportItems(pool, input, { labeledOnly, classId });
    switch (input.format) {
      case "jsonl":
        for await (const item of items(false)) {
          yield `${JSON.stringify({
            id: item.externalId ?? String(item.id),
            text: item.text,
            labels: labelListOf(item),
            split: item.split,
            origin: item.origin,
            labeled_at: item.labeledAt?.toISOString() ?? null,
          })}\n`;
        }
        return;
      case "hf-jsonl":
        for await (const item of items(false)) {
          yield `${JSON.stringify(multiLabel ? { text: item.text, labels: labelListOf(item) } : { text: item.text, label: labelsOf(item)[0] ?? null })}\n`;
        }
        return;
      case "csv":
      case "tsv": {
        const d = input.format === "csv" ? "," : "\t";
        yield delimitedLine(["id", "text", "label", "split"], d);
        for await (const item of items(false)) {
          const cell = !item.labeled
            ? ""
            : item.classIds.length === 0
              ? EMPTY_LABEL_SET
              : labelsOf(item).join(MARGIN_LABEL_SEPARATOR);
          yield delimitedLine(
            [item.externalId ?? String(item.id), item.text, cell, item.split],
            d,
            input.neutralizeFormulas,
          );
        }
        return;
      }
      case "emissary-jsonl":
      case "emissary-csv": {
        const live = classes.filter((c) => !c.archived);
        // Emissary's binary form names only the positive class (the first); 0 means the other one. The CSV form
        // (`input,expected_output`) writes that flag bare; multi-label and multi-class rows carry the whole object.
        const binaryPair = binary && live.length === 2;
        const keys = binaryPair ? [live[0]!] : live;
        const completion = (item: ExportItem) =>
          Object.fromEntries(keys.map((c) => [c.name, item.classIds.includes(c.id) ? 1 : 0]));
        if (input.format === "emissary-jsonl") {
          for await (const item of items(true))
            yield `${JSON.stringify({ prompt: item.text, completion: completion(item) })}\n`;
          return;
        }
        yield delimitedLine(["input", "expected_output"], ",");
        for await (const item of items(true)) {
          const expected = binaryPair
            ? item.classIds.includes(live[0]!.id)
              ? "1"
              : "0"
            : JSON.stringify(completion(item));
          yield delimitedLine([item.text, expected], ",", input.neutralizeFormulas);
        }
        return;
      }
      case "lamini":
        // One line per class, written as it is read: a class with a million examples is still streamed. An item
        // labeled with no class has no line to go on and is left out (docs/import-export.md).
        for (const c of classes) {
          let first = true;
          for await (const item of items(true, c.id)) {
            yield `${first ? `{"class_name":${JSON.stringify(c.name)},"examples":[` : ","}${JSON.stringify(item.text)}`;
            first = false;
          }
          if (!first) yield "]}\n";
        }
        return;
      case "text":
        for await (const item of items(false)) yield `${item.text.replace(/\s*[\r\n]+\s*/g, " ")}\n`;
        return;
    }
  }

  async function* chunks(): AsyncGenerator<string> {
    let buffer = "";
    for await (const piece of lines()) {
      buffer += piece;
      if (buffer.length >= FLUSH_CHARS) {
        yield buffer;
        buffer = "";
      }
    }
    if (buffer) yield buffer;
  }

  return { fileName: `${slug}-${input.format}.${extension}`, contentType, chunks: chunks() };
}
