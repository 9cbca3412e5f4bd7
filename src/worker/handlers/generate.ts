import { permanentGenerationFailure, runGenerationJob } from "@/server/domain/generation/run-generation-job";
import type { generateJob } from "@/server/jobs/job-definitions";
import { PermanentJobError } from "@/worker/job-context";
import type { JobHandler } from "@/worker/run-job";

export const handleGenerate: JobHandler<typeof generateJob> = async (payload, ctx) => {
  try {
    return await runGenerationJob(ctx.db, payload, ctx);
  } catch (error) {
    const permanent = permanentGenerationFailure(error);
    throw permanent === null ? error : new PermanentJobError(permanent);
  }
};
