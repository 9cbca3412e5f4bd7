/** Requests and tokens spent by one unit of work (a generation run, a zero-shot scoring pass). */
export interface LlmUsage {
  requests: number;
  cachedRequests: number;
  promptTokens: number;
  completionTokens: number;
}

export function emptyUsage(): LlmUsage {
  return { requests: 0, cachedRequests: 0, promptTokens: 0, completionTokens: 0 };
}

export function addUsage(into: LlmUsage, delta: LlmUsage): void {
  into.requests += delta.requests;
  into.cachedRequests += delta.cachedRequests;
  into.promptTokens += delta.promptTokens;
  into.completionTokens += delta.completionTokens;
}

/** USD estimate from per-million-token prices; undefined when no price is configured. */
export function estimateCostUsd(
  usage: Pick<LlmUsage, "promptTokens" | "completionTokens">,
  prices: { inputPerMTok: number; outputPerMTok: number } | undefined,
) {
  if (!prices) return undefined;
  return (usage.promptTokens * prices.inputPerMTok + usage.completionTokens * prices.outputPerMTok) / 1_000_000;
}
