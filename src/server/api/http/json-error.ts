import { z, ZodError } from "zod";
import { AppError } from "@/server/errors";
import { classifyError, errorTable, RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from "@/server/error-table";
import { redactedMessage } from "@/server/redact-secrets";

/** Every JSON error of Margin's plain HTTP routes: `{ "error": { "code", "message", "details"? } }`. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
): Response {
  return Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }) } },
    { status, headers },
  );
}

/** A database outage as an answer: 503 with Retry-After, so clients and proxies wait instead of seeing a 500. */
export function unavailableResponse(): Response {
  const row = errorTable.DATABASE_UNAVAILABLE;
  return jsonError(row.http, row.code, UNAVAILABLE_MESSAGE, undefined, { "retry-after": String(RETRY_AFTER_SECONDS) });
}

/** Any failure of a plain route as the status and code its row of server/error-table.ts names; a 500 is logged. */
export function errorResponse(error: unknown, where: string): Response {
  const { kind, message } = classifyError(error);
  const row = errorTable[kind];
  if (kind === "DATABASE_UNAVAILABLE") {
    console.error(`[http] ${where}: database unavailable`);
    return unavailableResponse();
  }
  if (kind === "INTERNAL") {
    console.error(`[http] ${where}: ${redactedMessage(error)}`);
    return jsonError(row.http, row.code, message);
  }
  const details =
    error instanceof AppError ? error.details : error instanceof ZodError ? z.flattenError(error) : undefined;
  return jsonError(row.http, row.code, message, details);
}
