import { Readable } from "node:stream";
import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { importOptions } from "@/server/schemas/import-options";
import { startImportInput, type StartImportInput } from "@/server/domain/imports/import-input";
import { getUpload } from "@/server/domain/imports/read-upload";
import { storeUpload } from "@/server/domain/imports/store-upload";
import { getProject } from "@/server/domain/projects/get-project";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { importJob } from "@/server/jobs/job-definitions";

/**
 * Queues an import job for an uploaded file (inline content is stored as an upload first), so that a large file is
 * imported by a worker with progress, and any web replica can have received it.
 */
export async function startImport(db: Db, boss: PgBoss, rawInput: StartImportInput, userId: string | null) {
  const input = startImportInput.parse(rawInput);
  const options = importOptions.parse(input.options);
  await getProject(db, input.projectId);
  const uploadId =
    input.uploadId ??
    (
      await storeUpload(db, {
        projectId: input.projectId,
        fileName: input.fileName ?? "pasted.txt",
        userId,
        body: Readable.from([Buffer.from(input.content ?? "", "utf8")]),
        maxBytes: Number.MAX_SAFE_INTEGER,
      })
    ).uploadId;
  return db.$transaction(async (tx) => {
    const upload = await getUpload(tx, uploadId, input.projectId);
    const run = await enqueueJob(
      tx,
      boss,
      importJob,
      { projectId: input.projectId, uploadId, options },
      { projectId: input.projectId, userId, singletonKey: `import:${uploadId}` },
    );
    await recordAudit(tx, {
      projectId: input.projectId,
      userId,
      action: "import.start",
      entityType: "import_upload",
      entityId: uploadId,
      data: { fileName: upload.fileName, format: options.format, mode: options.mode },
    });
    return run;
  });
}
