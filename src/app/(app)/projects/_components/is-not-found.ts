import { TRPCError } from "@trpc/server";

/** True when a server-side tRPC call failed because the thing asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof TRPCError && error.code === "NOT_FOUND";
}
