/** Stable codes that clients branch on; what each means to tRPC, HTTP and the worker is server/error-table.ts. */
export const appErrorCodes = [
  "NOT_FOUND",
  "CONFLICT",
  "INVALID_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "PRECONDITION_FAILED",
  "UNAVAILABLE",
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

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

/** Prisma's P2002 (unique constraint) as a sentence a user can act on. */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as {
    code?: string;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
  };
  if (e.code !== "P2002") return undefined;
  const fields =
    e.meta?.driverAdapterError?.cause?.constraint?.fields ??
    (Array.isArray(e.meta?.target) ? (e.meta?.target as string[]) : undefined);
  return fields?.length
    ? `Already exists: another record has the same ${fields.map((f) => f.replaceAll('"', "")).join(", ")}`
    : "Already exists";
}
