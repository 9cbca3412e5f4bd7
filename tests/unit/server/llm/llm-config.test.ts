import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function load(vars: Record<string, string | undefined>) {
  process.env = { ...saved };
  for (const key of Object.keys(process.env)) if (key.startsWith("LLM_")) delete process.env[key];
  Object.assign(process.env, vars);
  vi.resetModules();
  return {
    ...(await import("@/server/llm/llm-config")),
    ...(await import("@/server/llm/prompt-templates")),
    ...(await import("@/server/llm/llm-error")),
    ...(await import("@/server/schemas/llm-settings")),
  };
}

describe("LLM configuration", () => {
  it("is off with a one-line reason when no model or endpoint is set", async () => {
    const { resolveLlmConfig } = await load({});
    expect(resolveLlmConfig()).toEqual({
      configured: false,
      reason: expect.stringMatching(/^No LLM configured: set LLM_CHAT_MODEL/),
    });
    const { resolveLlmConfig: again } = await load({ LLM_CHAT_MODEL: "gpt-4o-mini" });
    expect(again()).toEqual({
      configured: false,
      reason: expect.stringMatching(/^No LLM endpoint: set LLM_BASE_URL .* or LLM_API_KEY/),
    });
  });

  it("reads the environment and lets a project override everything but the key", async () => {
    const { resolveLlmConfig, publicLlmConfig } = await load({
      LLM_BASE_URL: "http://vllm.internal:8000/v1",
      LLM_API_KEY: "sk-env-secret",
      LLM_CHAT_MODEL: "qwen",
      LLM_TIMEOUT_SECONDS: "30",
      LLM_PRICE_INPUT_PER_MTOK: "0.15",
      LLM_PRICE_OUTPUT_PER_MTOK: "0.6",
    });
    const env = resolveLlmConfig();
    expect(env).toMatchObject({
      configured: true,
      config: {
        baseUrl: "http://vllm.internal:8000/v1",
        apiKey: "sk-env-secret",
        chatModel: "qwen",
        timeoutMs: 30_000,
        maxRetries: 3,
        concurrency: 4,
        prices: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
      },
    });
    // Same endpoint, other model: the key goes along. Another endpoint: it does not.
    expect(resolveLlmConfig({ chatModel: "llama", baseUrl: "http://vllm.internal:8000/v1" })).toMatchObject({
      config: { chatModel: "llama", apiKey: "sk-env-secret" },
    });
    expect(resolveLlmConfig({ baseUrl: "http://evil.example/v1" })).toMatchObject({
      config: { baseUrl: "http://evil.example/v1", apiKey: undefined },
    });
    if (!env.configured) throw new Error("unreachable");
    expect(JSON.stringify(publicLlmConfig(env.config))).not.toContain("sk-env-secret");
  });

  it("rejects an API key or unknown fields in project settings, and malformed numbers in the environment", async () => {
    const { llmSettingsSchema } = await load({});
    expect(llmSettingsSchema.safeParse({ apiKey: "sk-x" }).success).toBe(false);
    expect(llmSettingsSchema.safeParse({ temperature: 3 }).success).toBe(false);
    process.env.LLM_MAX_RETRIES = "many";
    vi.resetModules();
    const { env } = await import("@/env");
    expect(() => env()).toThrow(/LLM_MAX_RETRIES/);
  });

  it("redacts the key from error messages", async () => {
    const { toLlmError } = await load({});
    const error = toLlmError(
      Object.assign(new Error("bad key sk-live-abcdef123456 given"), { status: 400 }),
      "http://x/v1",
      "sk-live-abcdef123456",
    );
    expect(error.message).not.toContain("sk-live-abcdef123456");
    expect(error.message).toContain("[redacted]");
  });
});

describe("prompt templates", () => {
  it("renders the Lamini defaults and versions overrides by content", async () => {
    const { resolvePromptTemplates, renderTemplate, DEFAULT_TEMPLATES_VERSION } = await load({});
    const defaults = resolvePromptTemplates(null);
    expect(defaults.version).toBe(DEFAULT_TEMPLATES_VERSION);
    expect(
      renderTemplate(defaults.templates.summariesUser, {
        examples: "",
        description: "Cats purr.",
        count: 5,
        className: "cat",
      }),
    ).toBe(
      "Read the following description carefully:\n----------------------------------------\nCats purr.\n----------------------------------------\nGenerate 5 different example summaries following this description. Each example summary should be as specific as possible using at most 10 words.",
    );
    const custom = resolvePromptTemplates({ expandSystem: "Write like a vet." });
    expect(custom.version).toMatch(/^custom-[0-9a-f]{10}$/);
    expect(resolvePromptTemplates({ expandSystem: "Write like a vet." }).version).toBe(custom.version);
    expect(resolvePromptTemplates({ expandSystem: "Write like a groomer." }).version).not.toBe(custom.version);
    // Setting a template to its default is not an override.
    expect(resolvePromptTemplates({ expandSystem: defaults.templates.expandSystem }).version).toBe(
      DEFAULT_TEMPLATES_VERSION,
    );
  });

  it("rejects unknown or missing placeholders with the template's name", async () => {
    const { promptTemplatesOverrideSchema } = await load({});
    const bad = promptTemplatesOverrideSchema.safeParse({ classifyUser: "Label {{text}}" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      expect.stringMatching(/^classifyUser: \{\{text\}\} is not available here/),
      "classifyUser: must contain {{texts}}",
    ]);
  });
});
