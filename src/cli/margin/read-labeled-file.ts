import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { CliError } from "@/cli/margin/cli-error";
import { EXIT_FAILED } from "@/server/error-table";
import { decodeText } from "@/server/domain/imports/decode-text";
import { decompressedSample, decompressSource } from "@/server/domain/imports/decompress-source";
import { detectFormat } from "@/server/domain/imports/detect-format";
import { ImportFileError, type ImportRow, type RowError } from "@/server/domain/imports/import-format";
import { DEFAULT_MAX_TEXT_LENGTH } from "@/server/schemas/import-options";
import { readImportRows } from "@/server/domain/imports/read-import-rows";

async function sampleOf(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new CliError(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a labeled file in any import format (Lamini, Emissary, CSV/TSV/JSONL with a `text` and a `label(s)` column)
 * for training or evaluation. Any bad row stops the command with its line and reason; a text longer than
 * `maxTextLength` (the import's default unless --max-text-length) is one.
 */
export async function readLabeledFile(
  path: string,
  binaryClasses?: string[],
  maxTextLength = DEFAULT_MAX_TEXT_LENGTH,
): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const sample = await sampleOf(path);
  // Read as `margin import` and the web import read it: gzip decompressed, UTF-16 and lone-CR line ends decoded.
  let detected;
  try {
    detected = detectFormat(await decompressedSample(Readable.from([sample])), path.replace(/\.gz$/i, ""));
    for await (const parsed of readImportRows(decodeText(decompressSource(createReadStream(path))), {
      format: detected.format,
      delimiter: detected.delimiter,
      hasHeader: true,
      maxTextLength,
      // Margin's CSV/TSV export joins a multi-label item's classes with "|"; a training file may be one.
      multiLabel: true,
      otherBinaryClass: (name) =>
        binaryClasses?.length === 2 && binaryClasses.includes(name)
          ? { name: binaryClasses.find((c) => c !== name)! }
          : { error: `"${name}": 0 needs exactly two classes` },
      // As in a binary project (and the Emissary export): a bare 1 is the first class, 0 the second.
      binaryFlagClass: (flag) =>
        binaryClasses?.length === 2
          ? { name: binaryClasses[flag === 1 ? 0 : 1]! }
          : {
              error: `A bare ${flag} needs exactly two classes (--class twice, or a two-class model): 1 is the first, 0 the second`,
            },
    })) {
      if (parsed.ok) rows.push(parsed.row);
      else errors.push(parsed.error);
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw new CliError(`${path}: ${error.message}`, EXIT_FAILED);
    throw error;
  }
  if (errors.length) {
    const shown = errors.slice(0, 10).map((e) => `  line ${e.line}${e.column ? ` (${e.column})` : ""}: ${e.message}`);
    throw new CliError(
      `${path} (${detected.format}) has ${errors.length} bad row(s):\n${shown.join("\n")}`,
      EXIT_FAILED,
    );
  }
  return rows;
}
