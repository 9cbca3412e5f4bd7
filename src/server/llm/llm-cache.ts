import { createHash } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";

export interface CacheKeyParts {
  /** The server's base URL: two servers may serve different models under the same name (e.g. "llama3.1"). */
  endpoint: string;
  model: string;
  messages: { role: string; content: string }[];
  /** JSON Schema of the expected output. */
  schema: unknown;
  /** Everything else that changes the answer: temperature, seed, structured-output method, task name. */
  params: Record<string, unknown>;
}

/** Stable JSON: object keys sorted, so equal requests hash equally whatever the property order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function llmCacheKey(parts: CacheKeyParts): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(parts)))
    .digest("hex");
}

export async function readLlmCache(db: DbOrTx, key: string) {
  return db.llmCache.findUnique({ where: { key } });
}

export async function writeLlmCache(
  db: DbOrTx,
  entry: { key: string; model: string; response: unknown; promptTokens: number; completionTokens: number },
) {
  const data = {
    model: entry.model,
    response: entry.response as Prisma.InputJsonValue,
    promptTokens: entry.promptTokens,
    completionTokens: entry.completionTokens,
  };
  // Two requests (workers, or both sides of an A/B) may race to the same answer; either copy is as good as the
  // other. ON CONFLICT DO NOTHING, because Prisma's upsert reads then inserts and loses that race.
  await db.llmCache.createMany({ data: [{ key: entry.key, ...data }], skipDuplicates: true });
}
