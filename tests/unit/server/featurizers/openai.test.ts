import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import { createOpenAIFeaturizer } from "@/server/featurizers/openai-featurizer";
import { expectClose } from "../../../helpers/expect-close";

const DIM = 4;
/** Deterministic fake embedding: depends on the text so order mix-ups are caught. */
function fakeVector(text: string): number[] {
  return [text.length, text.charCodeAt(0) || 0, 0.5, -1.25];
}

describe("OpenAI-compatible featurizer against an in-process /v1/embeddings server", () => {
  let server: http.Server;
  let baseURL = "";
  const requests: { model: string; input: string[]; encoding_format?: string; auth?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        const auth = req.headers.authorization;
        if (req.url !== "/v1/embeddings" || req.method !== "POST") {
          res.writeHead(404).end();
          return;
        }
        const parsed = JSON.parse(body) as { model: string; input: string[] | string; encoding_format?: string };
        const input = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
        requests.push({ model: parsed.model, input, encoding_format: parsed.encoding_format, auth });
        if (auth !== "Bearer good-key") {
          res.writeHead(401, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
            }),
          );
          return;
        }
        const floatsOnly = parsed.model === "floats-only";
        const data = input.map((t, index) => {
          const v = parsed.model === "empty" ? [] : fakeVector(t);
          const embedding =
            parsed.encoding_format === "base64" && !floatsOnly
              ? Buffer.from(new Float32Array(v).buffer).toString("base64") // little-endian float32
              : v;
          return { object: "embedding", index, embedding };
        });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ object: "list", data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it("decodes base64 float32, batches requests and keeps order", async () => {
    requests.length = 0;
    const f = await createFeaturizer("openai:text-embedding-3-small", {
      cacheDir: "/nonexistent",
      openai: { baseURL, apiKey: "good-key", batchSize: 2, maxRetries: 0 },
    });
    expect(f.id).toBe("openai:text-embedding-3-small");
    expect(f.dim).toBe(DIM);
    const texts = ["a", "bb", "ccc", "", "eeeee"];
    const v = await f.embed(texts);
    const expected = texts.flatMap((t) => fakeVector(t.length === 0 ? " " : t));
    expectClose(v, expected, { abs: 1e-6 });
    expect(requests.every((r) => r.encoding_format === "base64")).toBe(true);
    expect(requests.slice(1).map((r) => r.input.length)).toEqual([2, 2, 1]);
    expect((await f.embed([])).length).toBe(0);
  });

  it("works with float-only servers (requested or not) and rejects empty vectors with a hint", async () => {
    requests.length = 0;
    const f = await createOpenAIFeaturizer({
      model: "floats-only",
      baseURL,
      apiKey: "good-key",
      encodingFormat: "float",
      maxRetries: 0,
    });
    expectClose(await f.embed(["xy"]), fakeVector("xy"), { abs: 1e-6 });
    expect(requests.every((r) => r.encoding_format === "float")).toBe(true);
    const g = await createOpenAIFeaturizer({ model: "floats-only", baseURL, apiKey: "good-key", maxRetries: 0 });
    expectClose(await g.embed(["xy"]), fakeVector("xy"), { abs: 1e-6 });
    await expect(
      createOpenAIFeaturizer({ model: "empty", baseURL, apiKey: "good-key", maxRetries: 0 }),
    ).rejects.toMatchObject({ code: "FEATURIZER_BAD_RESPONSE", message: expect.stringMatching(/encodingFormat/) });
  });

  it("maps a bad key and an unreachable endpoint to stable codes", async () => {
    await expect(
      createOpenAIFeaturizer({ model: "m", baseURL, apiKey: "bad-key", maxRetries: 0 }),
    ).rejects.toMatchObject({ code: "FEATURIZER_AUTH" });
    // A port that was just closed: nothing listens there.
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, "127.0.0.1", r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise((r) => tmp.close(r));
    await expect(
      createOpenAIFeaturizer({
        model: "m",
        baseURL: `http://127.0.0.1:${port}/v1`,
        apiKey: "good-key",
        maxRetries: 0,
        timeoutMs: 2000,
      }),
    ).rejects.toMatchObject({ code: "FEATURIZER_UNREACHABLE" });
  });

  it("derives the id with reduced dimensions", async () => {
    const f = await createFeaturizer("openai:text-embedding-3-small:d256", {
      cacheDir: "/x",
      openai: { baseURL, apiKey: "good-key", maxRetries: 0 },
    });
    expect(f.id).toBe("openai:text-embedding-3-small:d256");
  });
});
