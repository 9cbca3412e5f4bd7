import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1 for tests (no LLM is reachable from CI). It speaks the wire format
 * LangChain's ChatOpenAI / OpenAIEmbeddings use — /v1/chat/completions with response_format json_schema or a forced
 * tool call, usage fields, /v1/embeddings with base64 float32 — and its answers are deterministic functions of the
 * request, so production code is tested exactly as it runs against vLLM or Ollama. Tests can take over any request
 * with `intercept` to inject failures or specific answers.
 */

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: ChatBody & Record<string, unknown>;
  /** Task name from response_format.json_schema.name or the forced tool's name. */
  task: string | undefined;
  mode: "json_schema" | "tool" | "none";
  system: string;
  user: string;
}

interface ChatBody {
  model?: string;
  messages?: { role: string; content: string }[];
  temperature?: number;
  seed?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: JsonSchema; strict?: boolean } };
  tools?: { type: string; function: { name: string; parameters: JsonSchema } }[];
  tool_choice?: unknown;
  input?: string | string[];
  encoding_format?: string;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  required?: string[];
  anyOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
}

/** What an intercept returns: an HTTP error, a raw body, or an answer object (serialized per the request's mode). */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** The structured answer; serialized into message.content or tool_calls[0].function.arguments. */
  answer?: unknown;
  /** Raw assistant content, sent as is (e.g. "not json" to test malformed output). */
  content?: string;
  /** Raw HTTP body for error replies. */
  errorBody?: unknown;
  delayMs?: number;
}

export interface FakeOpenAIServerOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 like OpenAI's. */
  apiKey?: string;
  /** Delay before every answer; makes concurrency observable without timing assertions. */
  delayMs?: number;
  /** Embedding size for /v1/embeddings. */
  embeddingDim?: number;
  /** Fixed port (the browser tests start it beside Margin); 0 or unset picks a free one. */
  port?: number;
}

export interface FakeOpenAIServer {
  /** Base URL to configure production code with, ending in /v1 (as for vLLM). */
  url: string;
  requests: RecordedRequest[];
  /** Highest number of chat requests in flight at the same time. */
  maxInFlight: number;
  intercept: ((request: RecordedRequest, index: number) => FakeReply | undefined) | undefined;
  reset(): void;
  close(): Promise<void>;
}

const STOP = new Set(
  "about above after again also among and any are because been before being below between both but can could did does doing down during each example examples few following for from further generate given have having here into its itself more most much must only other over own same should some such than that the their them then there these they this those through under until very what when where which while will with would your summary summaries description descriptions different read carefully complete consistent expand straight point specific possible using words least most similar substantially above below".split(
    " ",
  ),
);

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Content words of a prompt, in order of first appearance. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) if (!STOP.has(w)) seen.add(w);
  return [...seen];
}

function pick<T>(items: T[], hash: string, offset: number): T {
  return items[parseInt(hash.slice(offset % 56, (offset % 56) + 8), 16) % items.length]!;
}

function deterministicPhrase(words: string[], hash: string, count: number): string {
  if (words.length === 0) return `text ${hash.slice(0, 8)}`;
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(words, sha(`${hash}:${i}`), i * 3));
  return out.join(" ");
}

function requestedCount(user: string, fallback: number): number {
  const m = /Generate (\d+)/i.exec(user);
  return m ? Math.min(20, Number(m[1])) : fallback;
}

/** "- name: description" lines of a zero-shot system prompt. */
function classDescriptions(system: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of system.matchAll(/^- ([^:\n]+): (.*)$/gm))
    out.set(m[1]!.trim(), contentWords(m[2]!).concat(m[1]!.toLowerCase()));
  return out;
}

function overlap(text: string, words: string[]): number {
  let score = 0;
  for (const w of text.toLowerCase().match(/[a-z]{3,}/g) ?? [])
    if (words.some((d) => d.startsWith(w) || w.startsWith(d))) score++;
  return score;
}

function numberedTexts(user: string): { id: number; text: string }[] {
  return [...user.matchAll(/^\[(\d+)\] (.*)$/gm)].map((m) => ({ id: Number(m[1]), text: m[2]! }));
}

/** The default, deterministic answer for each task Margin asks for. */
function defaultAnswer(req: RecordedRequest): unknown {
  const hash = sha(JSON.stringify([req.body.messages, req.body.seed ?? null, req.body.temperature ?? null]));
  const words = contentWords(req.user);
  switch (req.task) {
    case "example_summaries":
    case "diversified_summaries": {
      const n = requestedCount(req.user, 5);
      return { summaries: Array.from({ length: n }, (_, i) => deterministicPhrase(words, sha(`${hash}:${i}`), 4)) };
    }
    case "expanded_example": {
      const summary = /summary[^\n]*:\n-+\n([^\n]+)\n/i.exec(req.user)?.[1] ?? "";
      return { example: `${summary}. ${deterministicPhrase(words, hash, 8)}.` };
    }
    case "zero_shot_labels":
    case "zero_shot_multi_labels": {
      const classes = classDescriptions(req.system);
      const names = [...classes.keys()];
      return {
        results: numberedTexts(req.user).map(({ id, text }) => {
          const scores = names.map((name) => overlap(text, classes.get(name)!));
          if (req.task === "zero_shot_multi_labels") {
            return { id, labels: names.map((name, k) => ({ label: name, probability: scores[k]! > 0 ? 0.9 : 0.1 })) };
          }
          let best = 0;
          scores.forEach((s, k) => {
            if (s > scores[best]!) best = k;
          });
          const sorted = [...scores].sort((a, b) => b - a);
          const margin = (sorted[0]! - (sorted[1] ?? 0)) / (sorted[0]! + (sorted[1] ?? 0) + 1);
          return { id, label: names[best], confidence: Math.round((0.5 + 0.5 * margin) * 1000) / 1000 };
        }),
      };
    }
    default:
      return {};
  }
}

/** Hashed bag of words: texts sharing words get close vectors, as real embeddings would. */
function embedText(text: string, dim: number): Float32Array {
  const v = new Float32Array(dim);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const h = sha(w);
    v[parseInt(h.slice(0, 8), 16) % dim]! += parseInt(h.slice(8, 9), 16) >= 8 ? 1 : -1;
  }
  return v;
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  let inFlight = 0;
  const state: FakeOpenAIServer = {
    url: "",
    requests: [],
    maxInFlight: 0,
    intercept: undefined,
    reset() {
      state.requests.length = 0;
      state.maxInFlight = 0;
      state.intercept = undefined;
    },
    close: async () => {},
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? "/").split("?")[0]!;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    let body: ChatBody & Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      return send(400, { error: { message: "request body is not JSON", type: "invalid_request_error" } });
    }

    if (path === "/v1/embeddings") {
      state.requests.push({
        path,
        authorization: req.headers.authorization,
        body,
        task: undefined,
        mode: "none",
        system: "",
        user: "",
      });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return send(401, {
          error: {
            message: "Incorrect API key provided.",
            type: "invalid_request_error",
            param: null,
            code: "invalid_api_key",
          },
        });
      }
      const inputs = Array.isArray(body.input) ? body.input : [String(body.input ?? "")];
      const dim = options.embeddingDim ?? 32;
      const data = inputs.map((text, index) => {
        const v = embedText(text, dim);
        const embedding =
          body.encoding_format === "base64"
            ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")
            : Array.from(v);
        return { object: "embedding", index, embedding };
      });
      const promptTokens = inputs.reduce((n, t) => n + tokens(t), 0);
      return send(200, {
        object: "list",
        data,
        model: body.model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      });
    }
    if (path !== "/v1/chat/completions")
      return send(404, { error: { message: `unknown path ${path}`, type: "invalid_request_error" } });

    const messages = body.messages ?? [];
    const jsonSchema = body.response_format?.type === "json_schema" ? body.response_format.json_schema : undefined;
    const tool = body.tools?.[0]?.function;
    const recorded: RecordedRequest = {
      path,
      authorization: req.headers.authorization,
      body,
      task: jsonSchema?.name ?? tool?.name,
      mode: jsonSchema ? "json_schema" : tool ? "tool" : "none",
      system: messages
        .filter((m) => m.role === "system")
        .map((m) => m.content)
        .join("\n"),
      user: messages
        .filter((m) => m.role === "user")
        .map((m) => m.content)
        .join("\n"),
    };
    const index = state.requests.push(recorded) - 1;
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, {
        error: {
          message: "Incorrect API key provided.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      });
    }
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    try {
      const reply = state.intercept?.(recorded, index) ?? {};
      const delay = reply.delayMs ?? options.delayMs ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (reply.status && reply.status >= 400) {
        return send(
          reply.status,
          reply.errorBody ?? { error: { message: `fake error ${reply.status}`, type: "server_error" } },
          reply.headers,
        );
      }
      const content = reply.content ?? JSON.stringify(reply.answer ?? defaultAnswer(recorded));
      const promptTokens = messages.reduce((n, m) => n + tokens(m.content), 0);
      const message =
        recorded.mode === "tool"
          ? {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: `call_${sha(content).slice(0, 12)}`,
                  type: "function",
                  function: { name: tool!.name, arguments: content },
                },
              ],
            }
          : { role: "assistant", content, refusal: null };
      send(
        200,
        {
          id: `chatcmpl-${sha(JSON.stringify(body)).slice(0, 16)}`,
          object: "chat.completion",
          created: 1_700_000_000,
          model: body.model ?? "fake",
          choices: [
            { index: 0, message, logprobs: null, finish_reason: recorded.mode === "tool" ? "tool_calls" : "stop" },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: tokens(content),
            total_tokens: promptTokens + tokens(content),
          },
        },
        reply.headers,
      );
    } finally {
      inFlight--;
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
