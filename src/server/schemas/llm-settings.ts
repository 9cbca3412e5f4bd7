import { z } from "zod";

// A leaf (zod only): the generate job's payload snapshots these settings, and server/jobs imports no LLM module.

/**
 * Per-project overrides of the environment's LLM settings, stored in `project.llm_settings`. Strict: an `apiKey`
 * (or any unknown field) is rejected, because keys live only in the server's environment.
 */
export const llmSettingsSchema = z
  .object({
    baseUrl: z.url("baseUrl must be a URL such as http://localhost:11434/v1").optional(),
    chatModel: z.string().trim().min(1).max(200).optional(),
    embeddingModel: z.string().trim().min(1).max(200).optional(),
    temperature: z.number().min(0).max(2).optional(),
    timeoutSeconds: z.number().min(1).max(3600).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    /** "jsonSchema" sends response_format json_schema; "functionCalling" sends a forced tool call (older servers). */
    structuredOutput: z.enum(["auto", "jsonSchema", "functionCalling"]).optional(),
    priceInputPerMTok: z.number().min(0).optional(),
    priceOutputPerMTok: z.number().min(0).optional(),
  })
  .strict();
export type LlmSettings = z.infer<typeof llmSettingsSchema>;
