import { env } from "@/env";

/**
 * The one redaction applied wherever an error or message leaves the process's memory: job_run.error, job logs,
 * pg-boss's stored job output (the error thrown back to it), server logs. It removes the configured secrets (the
 * LLM API key, the auth secret, and any passed in, such as a per-call key) and anything shaped like a credential:
 * `Bearer …` tokens, `sk-…` keys (OpenAI and look-alikes), Margin's own `mgn_…` API keys and passwords in URLs.
 */
const PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, "$1 [redacted]"],
  [/\bsk[-_][A-Za-z0-9_-]{6,}/g, "[redacted]"],
  [/\bmgn_[A-Za-z0-9_-]{8,}/g, "[redacted]"],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+@/gi, "$1[redacted]@"],
  [
    /("?(?:api[_-]?key|apikey|x-api-key|authorization|password|secret)"?\s*[:=]\s*"?)(?!Bearer\b|Basic\b|\[redacted\])([^\s",}]{6,})/gi,
    "$1[redacted]",
  ],
];

export function redactSecrets(text: string, extraSecrets: readonly (string | undefined)[] = []): string {
  let out = text;
  const e = env();
  for (const secret of [e.LLM_API_KEY, e.BETTER_AUTH_SECRET, ...extraSecrets]) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** The message of anything thrown, redacted. */
export function redactedMessage(error: unknown, extraSecrets?: readonly (string | undefined)[]): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), extraSecrets);
}

/**
 * A plain Error safe to hand to code that serializes errors (pg-boss stores message, stack and cause in
 * pgboss.job.output): name kept, message and stack redacted, the cause chain replaced by redacted copies.
 */
export function redactedError(error: unknown, depth = 0): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redactSecrets(source.message));
  copy.name = source.name;
  copy.stack = source.stack === undefined ? undefined : redactSecrets(source.stack);
  if (source.cause !== undefined && depth < 3) copy.cause = redactedError(source.cause, depth + 1);
  return copy;
}
