import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";

export interface RetryOptions {
  /** Told once when the database goes away and once when it answers again. */
  log?: (line: string) => void;
  /** What is being retried, for the log ("recording the outcome of job …"). */
  what?: string;
  /** Called on every failure that will be retried (for callers that log state changes themselves). */
  onUnavailable?: (error: unknown) => void;
  /** Stop retrying (and rethrow) once this returns true: the process is shutting down. */
  giveUp?: () => boolean;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `fn`, and while it fails because the database is unreachable runs it again with exponential backoff (0.25 s
 * doubling to 5 s, jittered) until the database answers. Any other error is thrown at once. Only for idempotent
 * work: a statement whose commit was lost with the connection runs twice.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const first = options.firstDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5000;
  let failures = 0;
  for (;;) {
    try {
      const result = await fn();
      if (failures > 0)
        options.log?.(
          `the database is back after ${failures} failed attempt${failures === 1 ? "" : "s"}${options.what ? ` at ${options.what}` : ""}`,
        );
      return result;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || options.giveUp?.()) throw error;
      options.onUnavailable?.(error);
      if (failures === 0)
        options.log?.(
          `the database is unreachable${options.what ? ` while ${options.what}` : ""}; retrying until it answers`,
        );
      const delay = Math.min(max, first * 2 ** Math.min(failures, 10));
      failures++;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + 0.5 * Math.random())));
    }
  }
}
