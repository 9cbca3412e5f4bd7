import type { DbOrTx } from "@/server/db";
import type { LlmUsage } from "@/server/llm/llm-usage";

/** Adds one request's usage to the run atomically (several classes report at once) and refreshes the cost estimate. */
export async function recordGenerationUsage(
  db: DbOrTx,
  runId: number,
  delta: LlmUsage,
  prices: { inputPerMTok: number; outputPerMTok: number } | undefined,
) {
  await db.$executeRaw`
    UPDATE generation_run SET
      request_count = request_count + ${delta.requests}::int,
      prompt_tokens = prompt_tokens + ${delta.promptTokens}::int,
      completion_tokens = completion_tokens + ${delta.completionTokens}::int,
      cost_usd = CASE WHEN ${prices === undefined}::boolean THEN cost_usd
        ELSE ((prompt_tokens + ${delta.promptTokens}::int) * ${prices?.inputPerMTok ?? 0}::float8
            + (completion_tokens + ${delta.completionTokens}::int) * ${prices?.outputPerMTok ?? 0}::float8) / 1000000 END
    WHERE id = ${runId}::int`;
}
