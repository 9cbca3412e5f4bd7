import { PERMANENT_LLM_CODES, runGenerationJob } from "@/server/domain/generation/run-generation-job";
import type { generateJob } from "@/server/jobs/job-definitions";
import { LlmError } from "@/server/llm/llm-error";
import { PermanentJobError } from "@/worker/job-context";
import type { JobHandler } from "@/worker/run-job";

export const handleGenerate: JobHandler<typeof generateJob> = async (payload, ctx) => {
  try {
    return await runGenerationJob(ctx.db, payload, ctx);
  } catch (error) {
    if (error instanceof LlmError && PERMANENT_LLM_CODES.has(error.llmCode)) throw new PermanentJobError(error.message);
    throw error;
  }
};
