import type { DbOrTx } from "@/server/db";

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the current one-minute window ends. */
  resetAt: Date;
}

/**
 * Counts one request against the key's current one-minute window in PostgreSQL (one atomic upsert), so that all
 * web replicas share the limit. Windows older than an hour are dropped as we go.
 */
export async function consumeRateLimit(db: DbOrTx, apiKeyId: number, limit: number): Promise<RateLimitState> {
  const [row] = await db.$queryRaw<{ count: number; window_start: Date }[]>`
    INSERT INTO api_rate_window (api_key_id, window_start, count)
    VALUES (${apiKeyId}, date_trunc('minute', now()), 1)
    ON CONFLICT (api_key_id, window_start) DO UPDATE SET count = api_rate_window.count + 1
    RETURNING count, window_start`;
  const count = row!.count;
  if (count === 1) {
    await db.$executeRaw`DELETE FROM api_rate_window WHERE api_key_id = ${apiKeyId} AND window_start < now() - interval '1 hour'`;
  }
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt: new Date(row!.window_start.getTime() + 60_000),
  };
}
