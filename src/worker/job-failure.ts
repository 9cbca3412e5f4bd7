import { classifyError, errorTable } from "@/server/error-table";
import { PermanentJobError } from "@/worker/job-context";

/** Outages a job sits out without using a retry; past this (a handler that itself breaks its connection?), an outage
 * counts like any failure. */
export const MAX_OUTAGE_RESENDS = 20;

/**
 * What the worker does with a job whose handler threw: sit out a database outage (re-sent, no retry used), retry,
 * or fail it for good — by the error's row of server/error-table.ts, except that a handler can declare its failure
 * permanent (PermanentJobError).
 */
export function jobFailure(error: unknown, outagesSoFar: number): "outage" | "retry" | "permanent" {
  if (error instanceof PermanentJobError) return "permanent";
  const { kind } = classifyError(error);
  if (kind === "DATABASE_UNAVAILABLE" && outagesSoFar < MAX_OUTAGE_RESENDS) return "outage";
  return errorTable[kind].retryable ? "retry" : "permanent";
}
