import type { DbOrTx } from "@/server/db";
import { AppError } from "@/server/errors";

/** A completed upload of a project, or a clear error. */
export async function getUpload(db: DbOrTx, uploadId: string, projectId: number) {
  const upload = await db.importUpload.findUnique({ where: { id: uploadId } });
  if (!upload || upload.projectId !== projectId)
    throw new AppError("NOT_FOUND", `Upload ${uploadId} does not exist in project ${projectId}`);
  if (!upload.completedAt)
    throw new AppError("PRECONDITION_FAILED", `Upload ${uploadId} is incomplete: upload the file again`);
  return upload;
}

/** Reads an upload's chunks one at a time, in order: one chunk in memory however large the file. */
export async function* uploadChunks(
  db: DbOrTx,
  uploadId: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const chunk = await db.importUploadChunk.findUnique({
      where: { uploadId_seq: { uploadId, seq } },
      select: { data: true },
    });
    if (!chunk) return;
    onBytes?.(chunk.data.byteLength);
    yield chunk.data;
  }
}
