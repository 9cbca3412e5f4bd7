import { OpenAIEmbeddings } from "@langchain/openai";
import { FeaturizerError, type Featurizer } from "@/server/featurizers/featurizer";

export interface OpenAIFeaturizerOptions {
  /** e.g. "text-embedding-3-small", "nomic-embed-text". */
  model: string;
  /** e.g. "https://api.openai.com/v1", "http://localhost:11434/v1". */
  baseURL?: string;
  apiKey?: string;
  /** Texts per request. Default 128. */
  batchSize?: number;
  /** "base64" (default, little-endian float32) or "float" for servers that only return JSON arrays. */
  encodingFormat?: "base64" | "float";
  /** Requested output size (OpenAI text-embedding-3 models only); part of the featurizer id. */
  dimensions?: number;
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number;
  /** LangChain's own exponential-backoff retries (never on 400/401–407/409/413). Default 4. */
  maxRetries?: number;
}

/** The /v1/embeddings base64 wire format: little-endian float32. */
function decodeBase64Float32(s: string): Float32Array {
  const buf = Buffer.from(s, "base64");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Float32Array(buf.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Featurizer id for an OpenAI-compatible model: "openai:<model>" plus ":d<dimensions>" when reduced. */
export function openAIFeaturizerId(model: string, dimensions?: number): string {
  return `openai:${model}${dimensions ? `:d${dimensions}` : ""}`;
}

function classify(err: unknown, baseURL: string | undefined): FeaturizerError {
  if (err instanceof FeaturizerError) return err;
  const e = err as { status?: number; code?: string; name?: string; message?: string; cause?: { code?: string } };
  const where = baseURL ?? "the default OpenAI endpoint";
  const status = e?.status;
  if (status === 401 || status === 403) {
    return new FeaturizerError("FEATURIZER_AUTH", `embedding endpoint ${where} rejected the API key (HTTP ${status})`, {
      cause: err,
    });
  }
  const msg = String(e?.message ?? err);
  if (
    e?.name === "APIConnectionError" ||
    e?.name === "APIConnectionTimeoutError" ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|Connection error|timed out|ETIMEDOUT/i.test(msg) ||
    e?.cause?.code === "ECONNREFUSED"
  ) {
    return new FeaturizerError("FEATURIZER_UNREACHABLE", `embedding endpoint ${where} is unreachable: ${msg}`, {
      cause: err,
    });
  }
  if (status === 404)
    return new FeaturizerError(
      "FEATURIZER_CONFIG",
      `embedding endpoint ${where} does not know this model or path (HTTP 404): ${msg}`,
      { cause: err },
    );
  return new FeaturizerError(
    "FEATURIZER_FAILED",
    `embedding request to ${where} failed${status ? ` (HTTP ${status})` : ""}: ${msg}`,
    { cause: err },
  );
}

/**
 * Any OpenAI-compatible /v1/embeddings endpoint (OpenAI, Ollama, vLLM, LM Studio, llama.cpp) via LangChain's
 * OpenAIEmbeddings. The dimension is learnt from a one-text probe at creation, which also surfaces a bad key or an
 * unreachable endpoint immediately as a FeaturizerError with a stable code.
 */
export async function createOpenAIFeaturizer(options: OpenAIFeaturizerOptions): Promise<Featurizer> {
  const client = new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey ?? "not-needed",
    batchSize: options.batchSize ?? 128,
    // Set explicitly so the openai SDK hands back the raw base64 strings, which are decoded below; servers that
    // ignore the request and send float arrays then still work (the SDK's implicit decoding would garble them).
    encodingFormat: options.encodingFormat ?? "base64",
    dimensions: options.dimensions,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 4,
    stripNewLines: false,
    configuration: { baseURL: options.baseURL },
  });
  const embedRaw = async (texts: string[]): Promise<ArrayLike<number>[]> => {
    let rows: unknown[];
    try {
      // Empty strings are rejected by some servers; a single space embeds as "nothing" everywhere.
      rows = await client.embedDocuments(texts.map((t) => (t.length === 0 ? " " : t)));
    } catch (err) {
      throw classify(err, options.baseURL);
    }
    return rows.map((r) => (typeof r === "string" ? decodeBase64Float32(r) : (r as number[])));
  };
  const probe = await embedRaw(["dimension probe"]);
  const dim = probe[0]?.length ?? 0;
  if (dim === 0) {
    throw new FeaturizerError(
      "FEATURIZER_BAD_RESPONSE",
      `embedding endpoint ${options.baseURL ?? "(default)"} returned an empty vector; if the server only returns float arrays, set encodingFormat "float"`,
    );
  }
  return {
    id: openAIFeaturizerId(options.model, options.dimensions),
    dim,
    async embed(texts) {
      if (texts.length === 0) return new Float32Array(0);
      const rows = await embedRaw(texts);
      if (rows.length !== texts.length)
        throw new FeaturizerError(
          "FEATURIZER_BAD_RESPONSE",
          `asked for ${texts.length} embeddings, got ${rows.length}`,
        );
      const out = new Float32Array(texts.length * dim);
      rows.forEach((r, i) => {
        if (r.length !== dim)
          throw new FeaturizerError(
            "FEATURIZER_BAD_RESPONSE",
            `embedding ${i} has ${r.length} values, expected ${dim}`,
          );
        for (let j = 0; j < dim; j++) {
          const v = r[j]!;
          if (!Number.isFinite(v))
            throw new FeaturizerError("FEATURIZER_BAD_RESPONSE", `embedding ${i} contains a non-finite value`);
          out[i * dim + j] = v;
        }
      });
      return out;
    },
    close: async () => {},
  };
}
