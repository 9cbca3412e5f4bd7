import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateExamples } from "@/server/domain/generation/generate-examples";
import { generationOptionsSchema } from "@/server/schemas/generation-options";
import { createLlmClient } from "@/server/llm/llm-client";
import type { LlmConfig } from "@/server/llm/llm-config";
import { LlmError } from "@/server/llm/llm-error";
import { defaultPromptTemplates } from "@/server/llm/prompt-templates";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";

// The offline CLI's generator: no database, the job's round steps, duplicates judged in memory.
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function client(overrides: Partial<LlmConfig> = {}) {
  return createLlmClient(null, {
    baseUrl: server.url,
    apiKey: undefined,
    chatModel: "fake-chat",
    embeddingModel: undefined,
    temperature: 0.7,
    timeoutMs: 10_000,
    maxRetries: 0,
    concurrency: 2,
    structuredOutput: "auto",
    prices: undefined,
    ...overrides,
  });
}

/** Bag of letters: texts with the same letters get the same vector (cosine 1), unrelated ones do not. */
async function embed(texts: string[]): Promise<Float32Array> {
  const out = new Float32Array(texts.length * 26);
  texts.forEach((t, i) => {
    for (const ch of t.toLowerCase()) if (ch >= "a" && ch <= "z") out[i * 26 + ch.charCodeAt(0) - 97]! += 1;
  });
  return out;
}

const classes = [
  {
    name: "cat",
    description: "Cats meow, purr, scratch furniture and chase mice around the house.",
    examples: ["the kitten purrs on my lap"],
  },
  { name: "dog", description: "Dogs bark, wag their tails, fetch balls and go for long walks.", examples: [] },
];
const options = (o: Record<string, unknown> = {}) =>
  generationOptionsSchema.parse({ targetPerClass: 4, seed: 3, ...o });

describe("generateExamples (in memory)", () => {
  it("reaches the target per class through the three phases, showing existing examples as history", async () => {
    const llm = client();
    const result = await generateExamples(
      { classes, existingTexts: ["the kitten purrs on my lap"], options: options(), templates: defaultPromptTemplates },
      { client: llm, embed },
    );
    expect(result.map((c) => [c.name, c.examples.length])).toEqual([
      ["cat", 4],
      ["dog", 4],
    ]);
    expect(new Set(server.requests.map((r) => r.task))).toEqual(
      new Set(["example_summaries", "diversified_summaries", "expanded_example"]),
    );
    const catSummaries = server.requests.find((r) => r.task === "example_summaries" && r.user.includes("Cats meow"))!;
    expect(catSummaries.user).toContain(
      "Consider the following examples:\n----------------------------------------\nthe kitten purrs on my lap",
    );
    expect(llm.usage.requests).toBe(server.requests.length);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("asks the same questions for the same seed and different ones for another", async () => {
    const run = async (seed: number) => {
      server.reset();
      const result = await generateExamples(
        { classes, existingTexts: [], options: options({ seed }), templates: defaultPromptTemplates },
        { client: client(), embed },
      );
      return { examples: result.flatMap((c) => c.examples), seeds: server.requests.map((r) => r.body.seed).sort() };
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect((await run(6)).seeds).not.toEqual(a.seeds);
  });

  it("drops exact and near-duplicates with the reason, and stops a class that only repeats itself", async () => {
    let n = 0;
    // Cat expansions alternate between a text the class has and an anagram of it (same letters: cosine 1 here).
    server.intercept = (r) =>
      r.task === "expanded_example" && r.user.includes("Cats meow")
        ? { answer: { example: n++ % 2 ? "cat purring on sofa" : "sofa on cat purring" } }
        : undefined;
    const cats = { ...classes[0]!, examples: ["sofa on cat purring"] };
    const result = await generateExamples(
      {
        classes: [cats, classes[1]!],
        existingTexts: ["sofa on cat purring"],
        options: options(),
        templates: defaultPromptTemplates,
      },
      { client: client(), embed },
    );
    const cat = result.find((c) => c.name === "cat")!;
    expect(cat.examples).toEqual([]);
    expect(cat.stopped).toMatch(/^stopped at 0 of 4 after \d+ rounds/);
    expect(cat.dropped.some((d) => d.reason === "duplicate of an existing example")).toBe(true);
    expect(cat.dropped.some((d) => d.reason === 'near-duplicate (cosine 1.000) of "sofa on cat purring"')).toBe(true);
    expect(result.find((c) => c.name === "dog")!.examples).toHaveLength(4);
  });

  it("drops refusals and malformed expansions, and fails the whole generation on an LLM error", async () => {
    server.intercept = (r, i) =>
      r.task === "expanded_example"
        ? i % 3 === 0
          ? { answer: { example: "I'm sorry, I cannot help with that." } }
          : i % 3 === 1
            ? { content: "not json" }
            : undefined
        : undefined;
    const [cat] = await generateExamples(
      {
        classes: [classes[0]!],
        existingTexts: [],
        options: options({ targetPerClass: 2 }),
        templates: defaultPromptTemplates,
      },
      { client: client(), embed },
    );
    expect(cat!.examples).toHaveLength(2);
    expect(cat!.dropped.map((d) => d.reason.split(":")[0])).toEqual(expect.arrayContaining(["invalid", "malformed"]));

    server.reset();
    server.intercept = (r) =>
      r.task === "example_summaries" && r.user.includes("Dogs bark") ? { status: 500 } : undefined;
    const error = await generateExamples(
      { classes, existingTexts: [], options: options(), templates: defaultPromptTemplates },
      { client: client(), embed },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).llmCode).toBe("LLM_SERVER_ERROR");
  });
});
