import { TRPCClientError } from "@trpc/client";

/** The sentence to show for a failed call: the first field error for invalid input, else the server's message. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      { zodError?: { fieldErrors?: Record<string, string[] | undefined>; formErrors?: string[] } } | undefined;
    const fieldError = Object.values(data?.zodError?.fieldErrors ?? {}).flat()[0];
    return fieldError ?? data?.zodError?.formErrors?.[0] ?? error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong";
}
