import { ZodError, z } from "zod";
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from "@/server/api/http/database-unavailable";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import { AppError, uniqueViolation, type AppErrorCode } from "@/server/errors";
import { redactedMessage } from "@/server/redact-secrets";

const httpStatus: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_INPUT: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PRECONDITION_FAILED: 412,
  UNAVAILABLE: 503,
};

/** Every JSON error of Margin's plain HTTP routes: `{ "error": { "code", "message", "details"? } }`. */
export function jsonError(status: number, code: string, message: string, details?: unknown, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, { status, headers });
}

/** A database outage as an answer: 503 with Retry-After, so clients and proxies wait instead of seeing a 500. */
export function unavailableResponse(): Response {
  return jsonError(503, "UNAVAILABLE", UNAVAILABLE_MESSAGE, undefined, { "retry-after": String(RETRY_AFTER_SECONDS) });
}

/** Maps AppError, zod, unique violations and database outages to their HTTP status once; anything else is a logged 500. */
export function errorResponse(error: unknown, where: string): Response {
  if (isDatabaseUnavailable(error)) {
    console.error(`[http] ${where}: database unavailable`);
    return unavailableResponse();
  }
  if (error instanceof AppError) return jsonError(httpStatus[error.code], error.code, error.message, error.details);
  if (error instanceof ZodError) return jsonError(422, "INVALID_INPUT", error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "), z.flattenError(error));
  const unique = uniqueViolation(error);
  if (unique) return jsonError(409, "CONFLICT", unique);
  console.error(`[http] ${where}: ${redactedMessage(error)}`);
  return jsonError(500, "INTERNAL", "Internal error");
}
