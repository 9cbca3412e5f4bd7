import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLlmClient } from "@/server/llm/llm-client";
import type { LlmConfig } from "@/server/llm/llm-config";
import { LlmError } from "@/server/llm/llm-error";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let server: FakeOpenAIServer;
const API_KEY = "sk-test-0123456789abcdef";

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startFakeOpenAIServer({ apiKey: API_KEY });
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});
beforeEach(() => server.reset());

function config(overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    baseUrl: server.url,
    apiKey: API_KEY,
    chatModel: "fake-chat",
    embeddingModel: undefined,
    temperature: 0.7,
    timeoutMs: 10_000,
    maxRetries: 0,
    concurrency: 4,
    structuredOutput: "auto",
    prices: undefined,
    ...overrides,
  };
}

const schema = z.object({ summaries: z.array(z.string()) });
let unique = 0;
function request(seed?: number) {
  unique++;
  return {
    name: "example_summaries",
    system: "You are a domain expert.",
    user: `Describe puppies ${unique}. Generate 3 different example summaries.`,
    schema,
    seed,
  };
}

describe("LLM client against an OpenAI-compatible server", () => {
  it("sends response_format json_schema with the task name, the key, the seed and temperature, and counts tokens", async () => {
    const client = createLlmClient(testDb.db, config());
    const answer = await client.structured(request(42));
    expect(answer.summaries).toHaveLength(3);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.mode).toBe("json_schema");
    expect(sent.task).toBe("example_summaries");
    expect(sent.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body.seed).toBe(42);
    expect(sent.body.temperature).toBe(0.7);
    expect(sent.body.model).toBe("fake-chat");
    expect(sent.body.response_format?.json_schema?.schema.properties?.summaries?.type).toBe("array");
    expect(client.usage.requests).toBe(1);
    expect(client.usage.promptTokens).toBeGreaterThan(0);
    expect(client.usage.completionTokens).toBeGreaterThan(0);
  });

  it("uses a forced tool call when configured for function calling", async () => {
    const client = createLlmClient(testDb.db, config({ structuredOutput: "functionCalling" }));
    const answer = await client.structured(request());
    expect(answer.summaries).toHaveLength(3);
    expect(server.requests[0]!.mode).toBe("tool");
    expect(server.requests[0]!.body.tool_choice).toEqual({ type: "function", function: { name: "example_summaries" } });
  });

  it("answers a repeated request from the PostgreSQL cache without calling the server", async () => {
    const req = request(7);
    const first = await createLlmClient(testDb.db, config()).structured(req);
    const again = createLlmClient(testDb.db, config());
    expect(await again.structured(req)).toEqual(first);
    expect(server.requests).toHaveLength(1);
    expect(again.usage).toMatchObject({ requests: 0, cachedRequests: 1 });
    // Any change to model, seed or prompt is a different question.
    await createLlmClient(testDb.db, config()).structured({ ...req, seed: 8 });
    await createLlmClient(testDb.db, config({ chatModel: "other" })).structured(req);
    expect(server.requests).toHaveLength(3);
  });

  it("never answers from another endpoint's cache when the model name is the same", async () => {
    const req = request(13);
    await createLlmClient(testDb.db, config()).structured(req);
    const other = await startFakeOpenAIServer({ apiKey: API_KEY });
    try {
      const client = createLlmClient(testDb.db, config({ baseUrl: other.url }));
      await client.structured(req);
      expect(other.requests).toHaveLength(1);
      expect(client.usage).toMatchObject({ requests: 1, cachedRequests: 0 });
    } finally {
      await other.close();
    }
    expect(server.requests).toHaveLength(1);
  });

  it("answers the same request asked several times at once, storing one cached copy", async () => {
    const req = request(11);
    const client = createLlmClient(testDb.db, config());
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.structured(req)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const again = createLlmClient(testDb.db, config());
    expect(await again.structured(req)).toEqual(answers[0]);
    expect(again.usage).toMatchObject({ requests: 0, cachedRequests: 1 });
  });

  it("works without a database (the offline CLI): no cache, every request reaches the server", async () => {
    const req = request(9);
    const client = createLlmClient(null, config());
    const first = await client.structured(req);
    expect(await client.structured(req)).toEqual(first);
    expect(server.requests).toHaveLength(2);
    expect(client.usage).toMatchObject({ requests: 2, cachedRequests: 0 });
    expect(await testDb.db.llmCache.count({ where: { model: "fake-chat", response: { equals: first } } })).toBe(0);
  });

  it("reports a wrong key as LLM_AUTH without retrying and without echoing the key", async () => {
    const client = createLlmClient(testDb.db, config({ apiKey: "sk-wrong-key-999999", maxRetries: 3 }));
    const error = await client.structured(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).llmCode).toBe("LLM_AUTH");
    expect((error as LlmError).code).toBe("UNAVAILABLE");
    expect((error as LlmError).message).not.toContain("sk-wrong-key-999999");
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 429 with backoff and succeeds", async () => {
    server.intercept = (_req, i) =>
      i === 0
        ? {
            status: 429,
            headers: { "retry-after": "0" },
            errorBody: { error: { message: "Rate limit reached", type: "requests" } },
          }
        : undefined;
    const client = createLlmClient(testDb.db, config({ maxRetries: 2 }));
    const answer = await client.structured(request());
    expect(answer.summaries).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
    expect(client.usage.requests).toBe(1);
  });

  it("gives up on a persistent 429 after the configured retries with LLM_RATE_LIMIT", async () => {
    server.intercept = () => ({
      status: 429,
      headers: { "retry-after": "0" },
      errorBody: { error: { message: "Rate limit reached", type: "requests" } },
    });
    const error = await createLlmClient(testDb.db, config({ maxRetries: 1 }))
      .structured(request())
      .catch((e: unknown) => e);
    expect((error as LlmError).llmCode).toBe("LLM_RATE_LIMIT");
    expect(server.requests).toHaveLength(2);
  });

  it("reports a 500 as LLM_SERVER_ERROR", async () => {
    server.intercept = () => ({
      status: 500,
      errorBody: { error: { message: "model crashed", type: "server_error" } },
    });
    const error = await createLlmClient(testDb.db, config())
      .structured(request())
      .catch((e: unknown) => e);
    expect((error as LlmError).llmCode).toBe("LLM_SERVER_ERROR");
    expect((error as LlmError).message).toMatch(/HTTP 500/);
  });

  it("reports a server that does not answer in time as LLM_TIMEOUT", async () => {
    server.intercept = () => ({ delayMs: 3_000 });
    const error = await createLlmClient(testDb.db, config({ timeoutMs: 200 }))
      .structured(request())
      .catch((e: unknown) => e);
    expect((error as LlmError).llmCode).toBe("LLM_TIMEOUT");
  });

  it("reports an unreachable endpoint as LLM_UNREACHABLE", async () => {
    const error = await createLlmClient(testDb.db, config({ baseUrl: "http://127.0.0.1:9/v1" }))
      .structured(request())
      .catch((e: unknown) => e);
    expect((error as LlmError).llmCode).toBe("LLM_UNREACHABLE");
    expect((error as LlmError).message).toContain("127.0.0.1:9");
  });

  it("reports invalid JSON and schema mismatches as LLM_MALFORMED_OUTPUT, after bounded retries, and caches nothing", async () => {
    server.intercept = () => ({ content: "Sure! Here are some summaries: 1. a puppy" });
    const req = request();
    const error = await createLlmClient(testDb.db, config({ maxRetries: 1 }))
      .structured(req)
      .catch((e: unknown) => e);
    expect((error as LlmError).llmCode).toBe("LLM_MALFORMED_OUTPUT");
    expect(server.requests).toHaveLength(2);

    server.reset();
    server.intercept = () => ({ answer: { summaries: "not a list" } });
    const mismatch = await createLlmClient(testDb.db, config({ maxRetries: 0 }))
      .structured(req)
      .catch((e: unknown) => e);
    expect((mismatch as LlmError).llmCode).toBe("LLM_MALFORMED_OUTPUT");

    server.reset();
    const ok = await createLlmClient(testDb.db, config()).structured(req);
    expect(ok.summaries).toHaveLength(3);
    expect(server.requests).toHaveLength(1);
  });

  it("never has more requests in flight than the configured concurrency", async () => {
    const slow = await startFakeOpenAIServer({ delayMs: 150 });
    try {
      const client = createLlmClient(testDb.db, config({ baseUrl: slow.url, concurrency: 3 }));
      await Promise.all(Array.from({ length: 10 }, () => client.structured(request())));
      expect(slow.requests).toHaveLength(10);
      expect(slow.maxInFlight).toBe(3);
    } finally {
      await slow.close();
    }
  });
});
