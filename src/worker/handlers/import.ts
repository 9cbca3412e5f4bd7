import { importUpload } from "@/server/domain/imports/import-upload";
import type { importJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleImport: JobHandler<typeof importJob> = async ({ projectId, uploadId, options }, ctx) =>
  importUpload(ctx.db, ctx.boss, { projectId, uploadId, options }, ctx);
