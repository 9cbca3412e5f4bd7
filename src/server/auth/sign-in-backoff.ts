import type { Db } from "@/server/db";

/**
 * Per-account exponential backoff on failed sign-ins, kept in PostgreSQL so that every web replica sees it. The key
 * is the submitted email, whether or not an account has it: a lockout must not tell which accounts exist.
 *
 * The first FREE_FAILURES failures in a row cost nothing; each one after blocks the email for 1 s, 2 s, 4 s, …
 * up to MAX_BLOCK_SECONDS. A successful sign-in clears the streak; a streak whose last failure is a day old restarts.
 */
export const FREE_FAILURES = 4;
export const MAX_BLOCK_SECONDS = 15 * 60;

export function signInKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** Seconds until this email may try again (0: now). */
export async function signInBlockedFor(db: Db, email: string): Promise<number> {
  const [row] = await db.$queryRaw<{ seconds: number }[]>`
    SELECT ceil(extract(epoch FROM blocked_until - (now() AT TIME ZONE 'UTC')))::int AS seconds
    FROM sign_in_throttle WHERE email = ${signInKey(email)} AND blocked_until > (now() AT TIME ZONE 'UTC')`;
  return Math.max(0, row?.seconds ?? 0);
}

/** Counts a failure (one atomic statement, so concurrent attempts each count) and returns the new block in seconds. */
export async function recordSignInFailure(db: Db, email: string): Promise<number> {
  const [row] = await db.$queryRaw<{ failures: number }[]>`
    WITH now_utc AS (SELECT now() AT TIME ZONE 'UTC' AS t)
    INSERT INTO sign_in_throttle AS s (email, failures, last_failure_at, blocked_until)
    SELECT ${signInKey(email)}, 1, t, NULL FROM now_utc
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN s.last_failure_at < EXCLUDED.last_failure_at - interval '1 day' THEN 1 ELSE s.failures + 1 END,
      last_failure_at = EXCLUDED.last_failure_at
    RETURNING failures`;
  const failures = row?.failures ?? 1;
  const seconds = backoffSeconds(failures);
  if (seconds > 0) {
    await db.$executeRaw`
      UPDATE sign_in_throttle SET blocked_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${seconds}::float8)
      WHERE email = ${signInKey(email)}`;
  }
  return seconds;
}

export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.$executeRaw`DELETE FROM sign_in_throttle WHERE email = ${signInKey(email)}`;
}

export function backoffSeconds(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_BLOCK_SECONDS, 2 ** Math.min(30, failures - FREE_FAILURES - 1));
}
