import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import pLimit, { type LimitFunction } from "p-limit";
import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { createChatModel } from "@/server/llm/create-chat-model";
import { llmCacheKey, readLlmCache, writeLlmCache } from "@/server/llm/llm-cache";
import { endpointLabel, type LlmConfig } from "@/server/llm/llm-config";
import { LlmError, toLlmError } from "@/server/llm/llm-error";
import { addUsage, emptyUsage, type LlmUsage } from "@/server/llm/llm-usage";

export interface StructuredRequest<S extends z.ZodType> {
  /** Task name: the json_schema / tool name the server sees, and part of the cache key. */
  name: string;
  system: string;
  user: string;
  schema: S;
  temperature?: number;
  /** Sent to the server (OpenAI, vLLM and Ollama honour it) and part of the cache key, so runs with different seeds differ. */
  seed?: number;
}

export interface LlmClientOptions {
  /** Shared limiter: bounds concurrent requests across everything that uses this client. */
  limit?: LimitFunction;
  /** Called before every request that reaches the server (a cancellation checkpoint). */
  beforeRequest?: () => Promise<void>;
  /** Called after every request that reached the server, with what it cost. */
  onUsage?: (delta: LlmUsage) => Promise<void> | void;
}

export interface LlmClient {
  readonly config: LlmConfig;
  /** Totals since the client was created, cache hits included (as cachedRequests). */
  readonly usage: LlmUsage;
  structured<S extends z.ZodType>(request: StructuredRequest<S>): Promise<z.infer<S>>;
}

/**
 * Every LLM call in Margin goes through here: PostgreSQL response cache keyed by (endpoint, model, messages, schema, params),
 * bounded concurrency, token accounting and typed errors. Retries with backoff for 429/5xx/timeouts happen inside
 * LangChain (config.maxRetries); an answer that parses as JSON but fails the schema is re-asked up to the same bound.
 * `db: null` (the offline CLI, which has no database) means no cache: every request reaches the server.
 */
export function createLlmClient(db: DbOrTx | null, config: LlmConfig, options: LlmClientOptions = {}): LlmClient {
  const limit = options.limit ?? pLimit(config.concurrency);
  const usage = emptyUsage();
  const where = endpointLabel(config);
  const method = config.structuredOutput === "auto" ? undefined : config.structuredOutput;

  async function structured<S extends z.ZodType>(request: StructuredRequest<S>): Promise<z.infer<S>> {
    const temperature = request.temperature ?? config.temperature;
    const messages = [
      { role: "system", content: request.system },
      { role: "user", content: request.user },
    ];
    const key = llmCacheKey({
      endpoint: where,
      model: config.chatModel,
      messages,
      schema: z.toJSONSchema(request.schema),
      params: { name: request.name, temperature, seed: request.seed ?? null, method: method ?? "auto" },
    });
    const cached = db ? await readLlmCache(db, key) : null;
    if (cached) {
      const parsed = request.schema.safeParse(cached.response);
      if (parsed.success) {
        usage.cachedRequests += 1;
        return parsed.data;
      }
    }
    return limit(async () => {
      let lastProblem = "";
      for (let attempt = 0; attempt <= config.maxRetries; attempt++) {
        await options.beforeRequest?.();
        const model = createChatModel(config, { temperature, seed: request.seed });
        const runnable = model.withStructuredOutput(request.schema, { name: request.name, method, includeRaw: true });
        let result: { raw: { usage_metadata?: { input_tokens?: number; output_tokens?: number } }; parsed: unknown };
        try {
          result = (await runnable.invoke([
            new SystemMessage(request.system),
            new HumanMessage(request.user),
          ])) as typeof result;
        } catch (error) {
          throw toLlmError(error, where, config.apiKey);
        }
        const delta: LlmUsage = {
          requests: 1,
          cachedRequests: 0,
          promptTokens: result.raw.usage_metadata?.input_tokens ?? 0,
          completionTokens: result.raw.usage_metadata?.output_tokens ?? 0,
        };
        addUsage(usage, delta);
        await options.onUsage?.(delta);
        const parsed = request.schema.safeParse(result.parsed);
        if (parsed.success) {
          if (db)
            await writeLlmCache(db, {
              key,
              model: config.chatModel,
              response: parsed.data,
              promptTokens: delta.promptTokens,
              completionTokens: delta.completionTokens,
            });
          return parsed.data;
        }
        lastProblem = parsed.error.issues.map((i) => `${i.path.join(".") || "answer"}: ${i.message}`).join("; ");
      }
      throw new LlmError(
        "LLM_MALFORMED_OUTPUT",
        `The model's answer to "${request.name}" did not match the expected structure after ${config.maxRetries + 1} attempts: ${lastProblem}`,
      );
    });
  }

  return { config, usage, structured };
}
