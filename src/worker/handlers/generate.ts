import type { Prisma } from "@/generated/prisma/client";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import type { EmbedTexts } from "@/server/domain/generation/near-duplicate-index";
import { recordGenerationUsage } from "@/server/domain/generation/record-generation-usage";
import { runGeneration } from "@/server/domain/generation/run-generation";
import { contentHash } from "@/server/domain/items/content-hash";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import type { generateJob } from "@/server/jobs/job-definitions";
import { createLlmClient } from "@/server/llm/llm-client";
import { endpointLabel, resolveLlmConfig } from "@/server/llm/llm-config";
import { LlmError } from "@/server/llm/llm-error";
import { defaultPromptTemplates, promptTemplatesOverrideSchema } from "@/server/llm/prompt-templates";
import { PermanentJobError } from "@/worker/job-context";
import type { JobHandler } from "@/worker/run-job";

/** Failures a retry cannot fix: the run stops at once with the message instead of retrying. */
const PERMANENT = new Set(["LLM_NOT_CONFIGURED", "LLM_AUTH", "LLM_MODEL_NOT_FOUND"]);

export const handleGenerate: JobHandler<typeof generateJob> = async (payload, ctx) => {
  const run = await ctx.db.generationRun.findUniqueOrThrow({ where: { id: payload.runId }, include: { project: { select: { featurizerId: true } } } });
  const resolved = resolveLlmConfig(payload.llmSettings);
  if (!resolved.configured) throw new PermanentJobError(`LLM_NOT_CONFIGURED: ${resolved.reason} (on the worker)`);
  const config = resolved.config;
  const templates = { ...defaultPromptTemplates, ...promptTemplatesOverrideSchema.parse(payload.templates) };
  await ctx.log(`Model ${config.chatModel} at ${endpointLabel(config)}: ${run.targetPerClass} examples for each of ${run.classIds.length} classes, up to ${config.concurrency} requests at a time`);
  const client = createLlmClient(ctx.db, config, {
    beforeRequest: () => ctx.throwIfCancelled(),
    onUsage: (delta) => recordGenerationUsage(ctx.db, run.id, delta, config.prices),
  });
  // Near-duplicates are judged on the project's featurizer, through the shared embedding cache (training reuses the vectors).
  let embed: EmbedTexts | undefined;
  try {
    const featurizer = await getFeaturizer(run.project.featurizerId);
    embed = (texts) => embedTexts(ctx.db, featurizer, texts.map((text) => ({ text, contentHash: contentHash(text) })));
  } catch (error) {
    await ctx.log(`Featurizer ${run.project.featurizerId} unavailable (${(error as Error).message})`, "warn");
  }
  try {
    const result = await runGeneration(ctx.db, run.id, payload.options, templates, { client, embed, log: ctx.log, progress: ctx.progress, checkpoint: ctx.throwIfCancelled });
    await ctx.log(`Stored ${result.stored} of ${result.target} examples; ${client.usage.requests} requests, ${client.usage.cachedRequests} answered from the cache`);
    return { ...result, usage: { ...client.usage } } as unknown as Prisma.InputJsonValue;
  } catch (error) {
    // The job log gets the user-facing sentence; runJob records the failure and pg-boss retries (resuming).
    if (error instanceof LlmError) {
      await ctx.log(`${error.llmCode}: ${error.message}`, "error");
      if (PERMANENT.has(error.llmCode)) throw new PermanentJobError(error.message);
    }
    throw error;
  }
};
