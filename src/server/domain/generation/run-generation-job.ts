import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import type { EmbedTexts } from "@/ml/near-duplicate-index";
import { recordGenerationUsage } from "@/server/domain/generation/record-generation-usage";
import { runGeneration } from "@/server/domain/generation/run-generation";
import { contentHash } from "@/server/domain/items/content-hash";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import type { generateJob } from "@/server/jobs/job-definitions";
import { createLlmClient } from "@/server/llm/llm-client";
import { endpointLabel, resolveLlmConfig } from "@/server/llm/llm-config";
import { LlmError, type LlmErrorCode } from "@/server/llm/llm-error";
import { defaultPromptTemplates, promptTemplatesOverrideSchema } from "@/server/llm/prompt-templates";

/** LLM failures a retry cannot fix: the run should stop with the message instead of retrying. */
const PERMANENT_LLM_CODES: ReadonlySet<LlmErrorCode> = new Set([
  "LLM_NOT_CONFIGURED",
  "LLM_AUTH",
  "LLM_MODEL_NOT_FOUND",
]);

/** The message to stop a generation run with at once when `error` is one a retry cannot fix; null otherwise. */
export function permanentGenerationFailure(error: unknown): string | null {
  return error instanceof LlmError && PERMANENT_LLM_CODES.has(error.llmCode) ? error.message : null;
}

/**
 * One delivery of a generation run: resolves the LLM connection from the settings snapshotted at start, builds the
 * client (cancellation checked before every request, usage recorded on the run), judges near-duplicates on the
 * project's featurizer through the shared embedding cache, and runs (or resumes) the phases. LLM failures are logged
 * with their code and rethrown as LlmError.
 */
export async function runGenerationJob(
  db: Db,
  payload: z.infer<typeof generateJob.payload>,
  hooks: JobHooks,
): Promise<Prisma.InputJsonValue> {
  const run = await db.generationRun.findUniqueOrThrow({
    where: { id: payload.runId },
    include: { project: { select: { featurizerId: true } } },
  });
  const resolved = resolveLlmConfig(payload.llmSettings);
  if (!resolved.configured)
    throw new LlmError("LLM_NOT_CONFIGURED", `LLM_NOT_CONFIGURED: ${resolved.reason} (on the worker)`);
  const config = resolved.config;
  const templates = { ...defaultPromptTemplates, ...promptTemplatesOverrideSchema.parse(payload.templates) };
  await hooks.log(
    `Model ${config.chatModel} at ${endpointLabel(config)}: ${run.targetPerClass} examples for each of ${run.classIds.length} classes, up to ${config.concurrency} requests at a time`,
  );
  const client = createLlmClient(db, config, {
    beforeRequest: () => hooks.throwIfCancelled(),
    onUsage: (delta) => recordGenerationUsage(db, run.id, delta, config.prices),
  });
  let embed: EmbedTexts | undefined;
  try {
    const featurizer = await getFeaturizer(run.project.featurizerId);
    embed = (texts) =>
      embedTexts(
        db,
        featurizer,
        texts.map((text) => ({ text, contentHash: contentHash(text) })),
      );
  } catch (error) {
    await hooks.log(`Featurizer ${run.project.featurizerId} unavailable (${(error as Error).message})`, "warn");
  }
  try {
    const result = await runGeneration(db, run.id, payload.options, templates, {
      client,
      embed,
      log: hooks.log,
      progress: hooks.progress,
      checkpoint: hooks.throwIfCancelled,
    });
    await hooks.log(
      `Stored ${result.stored} of ${result.target} examples; ${client.usage.requests} requests, ${client.usage.cachedRequests} answered from the cache`,
    );
    return { ...result, usage: { ...client.usage } } as unknown as Prisma.InputJsonValue;
  } catch (error) {
    // The job log gets the user-facing sentence; the caller records the failure (and a retry resumes).
    if (error instanceof LlmError) await hooks.log(`${error.llmCode}: ${error.message}`, "error");
    throw error;
  }
}
