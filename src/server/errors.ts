import { TRPCError } from "@trpc/server";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";

/** Stable codes that clients branch on; mapped to tRPC/HTTP in one place (toTRPCError). */
export const appErrorCodes = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INVALID_INPUT: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
} as const satisfies Record<string, TRPCError["code"]>;

export type AppErrorCode = keyof typeof appErrorCodes;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function toTRPCError(error: unknown): unknown {
  if (error instanceof AppError) {
    return new TRPCError({ code: appErrorCodes[error.code], message: error.message, cause: error });
  }
  const unique = uniqueViolation(error);
  if (unique) return new TRPCError({ code: "CONFLICT", message: unique, cause: error });
  // A lost or refused database connection is an outage (503, retry later), not a bug in the request (500).
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unavailable (restarting or unreachable); try again in a few seconds.", cause: error });
  }
  return error;
}

/** Prisma's P2002 (unique constraint) as a sentence a user can act on. */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } };
  if (e.code !== "P2002") return undefined;
  const fields = e.meta?.driverAdapterError?.cause?.constraint?.fields ?? (Array.isArray(e.meta?.target) ? (e.meta?.target as string[]) : undefined);
  return fields?.length ? `Already exists: another record has the same ${fields.map((f) => f.replaceAll('"', "")).join(", ")}` : "Already exists";
}
