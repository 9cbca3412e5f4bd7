import { llmSettingsSchema, type LlmSettings } from "@/server/schemas/llm-settings";
import { env } from "@/env";

export interface LlmConfig {
  /** Undefined means the openai SDK's default (https://api.openai.com/v1). */
  baseUrl: string | undefined;
  /** Never serialized to clients or logs; see `publicLlmConfig`. */
  apiKey: string | undefined;
  chatModel: string;
  embeddingModel: string | undefined;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  concurrency: number;
  structuredOutput: "auto" | "jsonSchema" | "functionCalling";
  prices: { inputPerMTok: number; outputPerMTok: number } | undefined;
}

export type ResolvedLlmConfig = { configured: true; config: LlmConfig } | { configured: false; reason: string };

/** Parses stored settings; malformed JSON in the database is reported instead of silently ignored. */
export function parseLlmSettings(stored: unknown): LlmSettings {
  if (stored === null || stored === undefined) return {};
  const parsed = llmSettingsSchema.safeParse(stored);
  if (!parsed.success)
    throw new Error(
      `project LLM settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

function sameOrigin(a: string | undefined, b: string | undefined) {
  const origin = (url: string | undefined) => new URL(url ?? "https://api.openai.com/v1").origin;
  return origin(a) === origin(b);
}

/** Environment first, then the project's overrides; explains in one line what is missing when unusable. */
export function resolveLlmConfig(settings: LlmSettings = {}): ResolvedLlmConfig {
  const e = env();
  const baseUrl = settings.baseUrl ?? e.LLM_BASE_URL;
  const chatModel = settings.chatModel ?? e.LLM_CHAT_MODEL;
  // The environment's key belongs to the environment's endpoint: a project pointing elsewhere must not receive it,
  // or any admin could collect the key by pointing a project at a server of their own.
  const apiKey = sameOrigin(baseUrl, e.LLM_BASE_URL) ? e.LLM_API_KEY : undefined;
  if (!chatModel)
    return {
      configured: false,
      reason: "No LLM configured: set LLM_CHAT_MODEL (and LLM_BASE_URL or LLM_API_KEY) on the server.",
    };
  if (!baseUrl && !apiKey)
    return {
      configured: false,
      reason: "No LLM endpoint: set LLM_BASE_URL for a local server (Ollama, vLLM) or LLM_API_KEY for OpenAI.",
    };
  const inputPrice = settings.priceInputPerMTok ?? e.LLM_PRICE_INPUT_PER_MTOK;
  const outputPrice = settings.priceOutputPerMTok ?? e.LLM_PRICE_OUTPUT_PER_MTOK;
  return {
    configured: true,
    config: {
      baseUrl,
      apiKey,
      chatModel,
      embeddingModel: settings.embeddingModel ?? e.LLM_EMBEDDING_MODEL,
      temperature: settings.temperature ?? 0.7,
      timeoutMs: (settings.timeoutSeconds ?? e.LLM_TIMEOUT_SECONDS) * 1000,
      maxRetries: settings.maxRetries ?? e.LLM_MAX_RETRIES,
      concurrency: settings.concurrency ?? e.LLM_CONCURRENCY,
      structuredOutput: settings.structuredOutput ?? "auto",
      prices:
        inputPrice !== undefined && outputPrice !== undefined
          ? { inputPerMTok: inputPrice, outputPerMTok: outputPrice }
          : undefined,
    },
  };
}

/** What may be shown in the browser or written to a job log. */
export function publicLlmConfig(config: LlmConfig) {
  return {
    endpoint: endpointLabel(config),
    chatModel: config.chatModel,
    embeddingModel: config.embeddingModel ?? null,
    apiKeySet: Boolean(config.apiKey),
    temperature: config.temperature,
    timeoutSeconds: config.timeoutMs / 1000,
    maxRetries: config.maxRetries,
    concurrency: config.concurrency,
    structuredOutput: config.structuredOutput,
    prices: config.prices ?? null,
  };
}

export function endpointLabel(config: Pick<LlmConfig, "baseUrl">): string {
  return config.baseUrl ?? "https://api.openai.com/v1";
}
