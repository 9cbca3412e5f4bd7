import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../../../helpers/fake-openai-server";

let server: FakeOpenAIServer;
const saved = { ...process.env };

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: "sk-embed-key", embeddingDim: 16 });
});
afterAll(async () => {
  process.env = { ...saved };
  await server.close();
});

describe("openai:<model> featurizer on the configured LLM endpoint", () => {
  it("embeds through LLM_BASE_URL with LLM_API_KEY, decoding base64 float32", async () => {
    Object.assign(process.env, {
      LLM_BASE_URL: server.url,
      LLM_API_KEY: "sk-embed-key",
      LLM_EMBEDDING_MODEL: "fake-embed",
      LLM_MAX_RETRIES: "0",
    });
    vi.resetModules();
    const { getFeaturizer } = await import("@/server/featurizers/get-featurizer");
    const featurizer = await getFeaturizer("openai:fake-embed");
    expect(featurizer.dim).toBe(16);
    const X = await featurizer.embed(["the cat purrs", "the cat purrs", "dogs bark loudly"]);
    expect(Array.from(X.subarray(0, 16))).toEqual(Array.from(X.subarray(16, 32)));
    expect(Array.from(X.subarray(0, 16))).not.toEqual(Array.from(X.subarray(32, 48)));
    const embeddingRequests = server.requests.filter((r) => r.path === "/v1/embeddings");
    expect(embeddingRequests.length).toBeGreaterThan(0);
    expect(
      embeddingRequests.every(
        (r) =>
          r.body.encoding_format === "base64" &&
          r.authorization === "Bearer sk-embed-key" &&
          r.body.model === "fake-embed",
      ),
    ).toBe(true);
  });
});
