import { AppError } from "@/server/errors";
import { redactSecrets } from "@/server/redact-secrets";

/** Stable codes that the UI and job logs branch on; every LLM failure becomes one of these. */
export type LlmErrorCode =
  | "LLM_NOT_CONFIGURED"
  | "LLM_AUTH"
  | "LLM_UNREACHABLE"
  | "LLM_RATE_LIMIT"
  | "LLM_TIMEOUT"
  | "LLM_MALFORMED_OUTPUT"
  | "LLM_MODEL_NOT_FOUND"
  | "LLM_SERVER_ERROR"
  | "LLM_REQUEST_FAILED";

/** An AppError (UNAVAILABLE, or PRECONDITION_FAILED when nothing is configured) that also carries the LLM code. */
export class LlmError extends AppError {
  constructor(
    readonly llmCode: LlmErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(llmCode === "LLM_NOT_CONFIGURED" ? "PRECONDITION_FAILED" : "UNAVAILABLE", message, { llmCode });
    this.name = "LlmError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

interface ErrorShape {
  status?: number;
  name?: string;
  code?: string;
  message?: string;
  lc_error_code?: string;
  cause?: { code?: string; message?: string };
}

/** Removes the API key (and anything else secret-looking, see redact-secrets.ts) from a log line or an HTTP response. */
export function redactSecret(text: string, secret: string | undefined): string {
  return redactSecrets(text, [secret]);
}

/**
 * Classifies whatever LangChain / the openai SDK threw (after their own bounded retries) into a stable code and
 * one sentence a user can act on. `where` names the endpoint (never the key).
 */
export function toLlmError(error: unknown, where: string, apiKey?: string): LlmError {
  if (error instanceof LlmError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const raw = redactSecret(String(e.message ?? error), apiKey).slice(0, 300);
  const status = e.status;
  const make = (code: LlmErrorCode, message: string) => new LlmError(code, message, { cause: error });
  if (status === 401 || status === 403 || e.lc_error_code === "MODEL_AUTHENTICATION") {
    return make(
      "LLM_AUTH",
      `The LLM endpoint ${where} rejected the API key (HTTP ${status ?? 401}); check LLM_API_KEY.`,
    );
  }
  if (status === 429 || e.lc_error_code === "MODEL_RATE_LIMIT" || /^RateLimit/.test(e.name ?? "")) {
    return make(
      "LLM_RATE_LIMIT",
      `The LLM endpoint ${where} is rate limiting requests (HTTP 429) and retries did not get through: ${raw}`,
    );
  }
  if (status === 404 || e.lc_error_code === "MODEL_NOT_FOUND") {
    return make(
      "LLM_MODEL_NOT_FOUND",
      `The LLM endpoint ${where} does not know this model or path (HTTP 404); check LLM_CHAT_MODEL and LLM_BASE_URL (it usually ends in /v1).`,
    );
  }
  if (e.name === "TimeoutError" || e.name === "APIConnectionTimeoutError" || /timed? ?out/i.test(raw)) {
    return make(
      "LLM_TIMEOUT",
      `The LLM endpoint ${where} did not answer in time; raise LLM_TIMEOUT_SECONDS or lower LLM_CONCURRENCY.`,
    );
  }
  if (
    e.name === "APIConnectionError" ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|fetch failed|Connection error/i.test(raw) ||
    ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET"].includes(e.cause?.code ?? "")
  ) {
    return make(
      "LLM_UNREACHABLE",
      `The LLM endpoint ${where} is unreachable (${raw}); check LLM_BASE_URL and that the server is running.`,
    );
  }
  if (
    e.name === "SyntaxError" ||
    e.name === "ZodError" ||
    e.name === "$ZodError" ||
    e.name === "OutputParserException" ||
    e.lc_error_code === "OUTPUT_PARSING_FAILURE"
  ) {
    return make("LLM_MALFORMED_OUTPUT", `The model's answer did not match the expected JSON structure: ${raw}`);
  }
  if (status !== undefined && status >= 500) {
    return make("LLM_SERVER_ERROR", `The LLM endpoint ${where} failed with HTTP ${status}: ${raw}`);
  }
  return make("LLM_REQUEST_FAILED", `The LLM request to ${where} failed${status ? ` (HTTP ${status})` : ""}: ${raw}`);
}
