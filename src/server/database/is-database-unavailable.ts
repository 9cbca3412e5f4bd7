// Errors that mean "PostgreSQL cannot be reached right now" (stopped, restarting, refusing connections, the
// connection dropped), as opposed to errors in what was asked of it. Raised by pg directly, or wrapped by Prisma's
// driver adapter (its `cause` chain carries pg's code).
const UNAVAILABLE_CODES = new Set([
  // connection_exception class
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  // admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down)
  "57P01",
  "57P02",
  "57P03",
  // Prisma: cannot reach the server, server closed the connection, connection pool timeout
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  // Node socket errors
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection refused/i,
  /server closed the connection unexpectedly/i,
  /can't reach database server/i,
  /ECONNREFUSED|ECONNRESET/,
];

/**
 * Whether `error` (or an error it wraps) says the database is unreachable. A failed HTTP request (fetch's "fetch
 * failed", an LLM client's connection error) is never the database's, even when its cause is an ECONNREFUSED.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current);) {
    seen.add(current);
    const e = current as {
      name?: unknown;
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      originalCode?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (
      (e.name === "TypeError" && e.message === "fetch failed") ||
      (typeof e.name === "string" && /APIConnection|Llm|Featurizer/.test(e.name))
    )
      return false;
    for (const code of [e.code, e.originalCode])
      if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (e.kind === "DatabaseNotReachable" || e.kind === "ConnectionClosed" || e.kind === "SocketTimeout") return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string)))
      return true;
    // AggregateError (net.connect to each resolved address) holds the ECONNREFUSEDs in `errors`.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = e.cause;
  }
  return false;
}
