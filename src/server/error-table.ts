import type { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import { AppError, uniqueViolation, type AppErrorCode } from "@/server/errors";
import { FeaturizerError, type FeaturizerErrorCode } from "@/server/featurizers/featurizer";
import { redactSecrets } from "@/server/redact-secrets";

/** An AppError's code, or one of the two failures nobody throws on purpose: a database outage and a bug. */
export type ErrorKind = AppErrorCode | "DATABASE_UNAVAILABLE" | "INTERNAL";

interface ErrorRow {
  /** The code in a plain route's JSON body, `{ "error": { "code" } }`. */
  code: string;
  /** tRPC's code; tRPC derives its own HTTP status from it (BAD_REQUEST is 400 there, where plain routes say 422). */
  trpc: TRPCError["code"];
  /** The plain routes' status (api/http/json-error.ts). */
  http: number;
  /** Whether the same request or job can succeed later unchanged; the worker retries a job only then. */
  retryable: boolean;
  /** The `margin` CLI's exit code (cli/margin/cli-failure.ts): the caller must change the command, or the work failed. */
  cliExit: typeof EXIT_USAGE | typeof EXIT_FAILED;
}

/** The CLI's exit codes besides 0: the work failed (bad rows, import rolled back, a runtime error); wrong usage or setup. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * The one table of what each failure means to the four places that answer it: tRPC (api/to-trpc-error.ts), the
 * plain HTTP routes (api/http/json-error.ts), the worker's retry decision (worker/job-failure.ts) and the CLI's exit
 * code (cli/margin/cli-failure.ts). A wrong input, a missing record, an unmet precondition or a refused permission
 * does not change by retrying; a conflict (someone else's concurrent write), an unavailable dependency and an
 * unexpected failure may. Only a wrong input or a name that matches nothing is the CLI caller's to fix (usage).
 */
export const errorTable = {
  NOT_FOUND: { code: "NOT_FOUND", trpc: "NOT_FOUND", http: 404, retryable: false, cliExit: EXIT_USAGE },
  CONFLICT: { code: "CONFLICT", trpc: "CONFLICT", http: 409, retryable: true, cliExit: EXIT_FAILED },
  INVALID_INPUT: { code: "INVALID_INPUT", trpc: "BAD_REQUEST", http: 422, retryable: false, cliExit: EXIT_USAGE },
  UNAUTHENTICATED: { code: "UNAUTHENTICATED", trpc: "UNAUTHORIZED", http: 401, retryable: false, cliExit: EXIT_FAILED },
  FORBIDDEN: { code: "FORBIDDEN", trpc: "FORBIDDEN", http: 403, retryable: false, cliExit: EXIT_FAILED },
  PRECONDITION_FAILED: {
    code: "PRECONDITION_FAILED",
    trpc: "PRECONDITION_FAILED",
    http: 412,
    retryable: false,
    cliExit: EXIT_FAILED,
  },
  UNAVAILABLE: { code: "UNAVAILABLE", trpc: "SERVICE_UNAVAILABLE", http: 503, retryable: true, cliExit: EXIT_FAILED },
  // Answered with Retry-After (RETRY_AFTER_SECONDS); a job is re-sent without using up a retry (worker/run-job.ts).
  DATABASE_UNAVAILABLE: {
    code: "UNAVAILABLE",
    trpc: "SERVICE_UNAVAILABLE",
    http: 503,
    retryable: true,
    cliExit: EXIT_FAILED,
  },
  INTERNAL: { code: "INTERNAL", trpc: "INTERNAL_SERVER_ERROR", http: 500, retryable: true, cliExit: EXIT_FAILED },
} as const satisfies Record<ErrorKind, ErrorRow>;

/** What a client is told to wait before retrying while the database is unavailable (a restart takes seconds). */
export const RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE =
  "The database is unavailable (restarting or unreachable); try again in a few seconds.";

export interface ClassifiedError {
  kind: ErrorKind;
  /** What the caller may be told: an AppError's own words; never an unexpected error's (it may hold secrets). */
  message: string;
}

/**
 * Which row of the table an error is. An AppError is taken at its word first: its message may quote a connection
 * error of its own (a featurizer endpoint's ECONNREFUSED), which is not the database's. A featurizer's error is a
 * wrong input when the featurizer id or its settings are wrong, else an unavailable dependency. A zod error is a wrong input
 * (a payload or a plain route's body; tRPC answers its own input errors before this), a unique violation a conflict.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof AppError) return { kind: error.code, message: error.message };
  if (error instanceof FeaturizerError)
    return { kind: featurizerErrorKinds[error.code], message: `featurizer: ${redactSecrets(error.message)}` };
  if (error instanceof ZodError)
    return {
      kind: "INVALID_INPUT",
      message: error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    };
  const unique = uniqueViolation(error);
  if (unique) return { kind: "CONFLICT", message: unique };
  if (isDatabaseUnavailable(error)) return { kind: "DATABASE_UNAVAILABLE", message: UNAVAILABLE_MESSAGE };
  return { kind: "INTERNAL", message: "Internal error" };
}

// An unknown id or settings an endpoint does not accept stay wrong on retry; a refused key, an unreachable or failing
// endpoint and a broken model file are the dependency's state, as the playground and the HTTP API already answer them.
const featurizerErrorKinds: Record<FeaturizerErrorCode, ErrorKind> = {
  FEATURIZER_UNKNOWN_ID: "INVALID_INPUT",
  FEATURIZER_CONFIG: "INVALID_INPUT",
  FEATURIZER_AUTH: "UNAVAILABLE",
  FEATURIZER_UNREACHABLE: "UNAVAILABLE",
  FEATURIZER_BAD_RESPONSE: "UNAVAILABLE",
  FEATURIZER_FAILED: "UNAVAILABLE",
};
