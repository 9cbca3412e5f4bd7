import { ChatOpenAI } from "@langchain/openai";
import type { LlmConfig } from "@/server/llm/llm-config";

/**
 * The one place a chat model is built. Works with any OpenAI-compatible endpoint; local servers (Ollama, vLLM)
 * ignore the key, but the openai SDK insists on one, hence the placeholder.
 */
export function createChatModel(
  config: LlmConfig,
  overrides: { temperature?: number; seed?: number } = {},
): ChatOpenAI {
  return new ChatOpenAI({
    model: config.chatModel,
    apiKey: config.apiKey ?? "not-needed",
    configuration: { baseURL: config.baseUrl },
    temperature: overrides.temperature ?? config.temperature,
    timeout: config.timeoutMs,
    // LangChain's own retries: exponential backoff with jitter, Retry-After honoured, never on 400/401–407/409/413.
    maxRetries: config.maxRetries,
    // `seed` is a per-request parameter of the chat completions API that ChatOpenAI has no field for.
    modelKwargs: overrides.seed === undefined ? undefined : { seed: overrides.seed },
  });
}
