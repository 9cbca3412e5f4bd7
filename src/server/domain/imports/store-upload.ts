import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { Readable } from "node:stream";
import { compressionOf, decompressedSample, refusedMessage } from "@/server/domain/imports/decompress-source";
import { detectFormat, type DetectedFormat } from "@/server/domain/imports/detect-format";
import { getProject } from "@/server/domain/projects/get-project";

const CHUNK_BYTES = 1024 * 1024;
const SAMPLE_BYTES = 64 * 1024;

export interface StoredUpload {
  uploadId: string;
  fileName: string;
  byteSize: number;
  chunkCount: number;
  detected: DetectedFormat;
}

/**
 * Stores an uploaded file in PostgreSQL in 1 MB chunks as it arrives (constant memory), so that whichever worker
 * runs the import can read it. An upload that fails or exceeds `maxBytes` is deleted; only a completed one is ever
 * imported.
 */
export async function storeUpload(
  db: Db,
  input: {
    projectId: number;
    fileName: string;
    userId: string | null;
    body: AsyncIterable<Uint8Array>;
    maxBytes: number;
  },
): Promise<StoredUpload> {
  await getProject(db, input.projectId);
  const upload = await db.importUpload.create({
    data: { projectId: input.projectId, fileName: input.fileName, createdById: input.userId },
  });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  let seq = 0;
  let sample = Buffer.alloc(0);
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db.importUploadChunk.create({ data: { uploadId: upload.id, seq: seq++, data } });
  };
  try {
    for await (const piece of input.body) {
      const chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      total += chunk.length;
      if (total > input.maxBytes) {
        throw new AppError(
          "INVALID_INPUT",
          `The file is larger than the upload limit of ${Math.round(input.maxBytes / 1024 / 1024)} MB (IMPORT_MAX_UPLOAD_MB)`,
        );
      }
      if (sample.length < SAMPLE_BYTES)
        sample = Buffer.concat([sample, chunk.subarray(0, SAMPLE_BYTES - sample.length)]);
      // Stored chunks are at most 1 MB whatever size the pieces arrive in, so readers hold at most that.
      for (let offset = 0; offset < chunk.length;) {
        const piece = chunk.subarray(offset, offset + (CHUNK_BYTES - pendingBytes));
        pending.push(Buffer.from(piece));
        pendingBytes += piece.length;
        offset += piece.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
    }
    await flush();
    if (total === 0) throw new AppError("INVALID_INPUT", "The file is empty");
    const compression = compressionOf(sample);
    if (compression && "refused" in compression)
      throw new AppError("INVALID_INPUT", refusedMessage(compression.refused));
    await db.importUpload.update({
      where: { id: upload.id },
      data: { byteSize: total, chunkCount: seq, completedAt: new Date() },
    });
  } catch (error) {
    await db.importUpload.delete({ where: { id: upload.id } }).catch(() => undefined);
    throw error;
  }
  // A .gz file is detected by what it holds (its name without .gz).
  const detected = detectFormat(
    await decompressedSample(Readable.from([sample])),
    input.fileName.replace(/\.gz$/i, ""),
  );
  return { uploadId: upload.id, fileName: input.fileName, byteSize: total, chunkCount: seq, detected };
}
