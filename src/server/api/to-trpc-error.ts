import { TRPCError } from "@trpc/server";
import { classifyError, errorTable } from "@/server/error-table";

/**
 * A domain failure as the tRPC error its row of server/error-table.ts names, the original kept as its cause. An
 * unexpected error is returned as it is: tRPC answers it INTERNAL_SERVER_ERROR and the request handler logs it.
 */
export function toTRPCError(error: unknown): unknown {
  const { kind, message } = classifyError(error);
  if (kind === "INTERNAL") return error;
  return new TRPCError({ code: errorTable[kind].trpc, message, cause: error });
}
