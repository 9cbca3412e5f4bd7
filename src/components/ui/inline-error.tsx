import { errorMessage } from "@/trpc/error-message";

/** A failed call's message where the call was made: the first field error for invalid input, else the server's. */
export function InlineError({ error, className = "" }: { error: unknown; className?: string }) {
  return (
    <p role="alert" className={`text-sm text-red-600 ${className}`.trim()}>
      {errorMessage(error)}
    </p>
  );
}
