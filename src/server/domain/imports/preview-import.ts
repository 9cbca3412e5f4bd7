import { Readable } from "node:stream";
import type { Db } from "@/server/db";
import type { PgPool } from "@/server/pg-pool";
import { decompressedSample } from "@/server/domain/imports/decompress-source";
import { detectFormat, type DetectedFormat } from "@/server/domain/imports/detect-format";
import { ImportFileError } from "@/server/domain/imports/import-format";
import { previewImportInput, type PreviewImportInput } from "@/server/domain/imports/import-input";
import type { ImportReport } from "@/server/domain/imports/import-report";
import { getUpload, uploadChunks } from "@/server/domain/imports/read-upload";
import { AppError } from "@/server/errors";
import { runImport } from "@/server/domain/imports/run-import";

/**
 * The wizard's preview: detects the format (unless given), then runs the real import in a transaction that is
 * always rolled back, so its report (columns, first rows, every row error, classes it would create) is exactly what
 * `start` would do. Writes nothing.
 */
export async function previewImport(
  db: Db,
  pool: PgPool,
  rawInput: PreviewImportInput,
): Promise<ImportReport & { detected: DetectedFormat }> {
  const input = previewImportInput.parse(rawInput);
  const { projectId } = input;
  let sample: Buffer;
  let source: () => AsyncIterable<Uint8Array>;
  if (input.uploadId !== undefined) {
    const upload = await getUpload(db, input.uploadId, projectId);
    source = () => uploadChunks(db, upload.id);
  } else {
    const bytes = Buffer.from(input.content ?? "", "utf8");
    source = () => Readable.from([bytes]);
  }
  try {
    sample = await decompressedSample(source());
  } catch (error) {
    if (error instanceof ImportFileError) throw new AppError("INVALID_INPUT", error.message);
    throw error;
  }
  const detected = detectFormat(sample, input.fileName?.replace(/\.gz$/i, ""));
  const options = {
    ...input.options,
    format: input.options?.format ?? detected.format,
    delimiter: input.options?.delimiter ?? detected.delimiter,
  };
  const report = await runImport(pool, { projectId, userId: null, source: source(), options, dryRun: true });
  return { ...report, detected };
}
