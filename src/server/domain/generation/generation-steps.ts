import { deriveSeed, seededShuffle } from "@/server/domain/generation/derive-seed";
import type { GenerationOptions } from "@/server/schemas/generation-options";
import { diversifySummaries } from "@/server/llm/diversify-summaries";
import { expandSummary } from "@/server/llm/expand-summary";
import { generateExampleSummaries } from "@/server/llm/generate-example-summaries";
import type { LlmClient } from "@/server/llm/llm-client";
import { LlmError } from "@/server/llm/llm-error";
import type { PromptTemplates } from "@/server/llm/prompt-templates";

// The LLM side of one generation round, shared by the generation job (which persists every step in PostgreSQL so a
// run resumes) and the offline CLI (which keeps everything in memory). Both derive the same seeds from the same
// (run seed, class name, round, call), so the same classes and seed ask the same questions.

/** Phase-1 calls per class and round at most: more would outrun what one round's expansions need. */
export const MAX_CALLS_PER_ROUND = 4;
/** Rounds in a row that add nothing before a class gives up (the model keeps repeating itself). */
export const MAX_STALE_ROUNDS = 3;

/** The round budget of a class that starts at `firstRound`. */
export function maxRoundsFor(
  firstRound: number,
  target: number,
  options: Pick<GenerationOptions, "summariesPerCall">,
): number {
  return firstRound + Math.ceil(target / options.summariesPerCall) * 2 + 5;
}

export type GenerationClass = { name: string; description: string };

export interface GenerationStepContext {
  client: LlmClient;
  templates: PromptTemplates;
  /** The run's seed, from which every request's seed is derived. */
  seed: number;
  log(message: string, level?: "info" | "warn" | "error"): Promise<void> | void;
  /** Throws to stop (cancellation, or another class failed); called before each request. */
  guard(): Promise<void>;
}

/**
 * Like Promise.all, but waits for every promise before throwing the first failure: nothing started may still be
 * running (or writing) when the caller reports the failure.
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (rejected) throw rejected.reason;
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}

type Accepted = { kept: string[]; dropped: { text: string; reason: string }[] };

/** A malformed phase-1/2 answer costs the batch, not the run. */
async function tolerateMalformed(
  ctx: GenerationStepContext,
  cls: GenerationClass,
  step: string,
  call: () => Promise<Accepted>,
): Promise<Accepted> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LlmError && error.llmCode === "LLM_MALFORMED_OUTPUT") {
      await ctx.log(`${cls.name}: ${step} answer unusable, skipped: ${error.message}`, "warn");
      return { kept: [], dropped: [] };
    }
    throw error;
  }
}

export interface RoundSummaries {
  /** Phase-1 summaries first, then phase-2 ones, batch by batch: the order in which they are expanded. */
  summaries: { phase: "summary" | "diversified"; text: string }[];
  /** How many of `summaries` came from phase 1. */
  firstCount: number;
  /** Summaries an answer contained but that were not usable (too long, repeated…), already logged. */
  ignored: { text: string; reason: string }[];
}

/**
 * Phases 1 and 2 of one round for one class: a few calls (enough for `remaining` examples), each asking for
 * summaries from the class prompt and a seeded sample of existing examples (`history`), then diversifying a seeded
 * group of them.
 */
export async function askRoundSummaries(
  ctx: GenerationStepContext,
  cls: GenerationClass,
  input: {
    round: number;
    remaining: number;
    options: Pick<GenerationOptions, "summariesPerCall" | "maxHistory">;
    history: (seed: number) => Promise<string[]>;
  },
): Promise<RoundSummaries> {
  const { round, options } = input;
  const calls = Math.min(MAX_CALLS_PER_ROUND, Math.max(1, Math.ceil(input.remaining / (2 * options.summariesPerCall))));
  const batches = await settleAll(
    Array.from({ length: calls }, async (_, call) => {
      await ctx.guard();
      const seed = deriveSeed(ctx.seed, cls.name, round, "summaries", call);
      const examples = options.maxHistory > 0 ? await input.history(seed) : [];
      const first = await tolerateMalformed(ctx, cls, "summaries", () =>
        generateExampleSummaries(ctx.client, ctx.templates, { cls, examples, count: options.summariesPerCall, seed }),
      );
      if (first.kept.length === 0) return { first, second: { kept: [], dropped: [] } as Accepted };
      await ctx.guard();
      const group = seededShuffle(first.kept, seed).slice(0, 5);
      const diversifySeed = deriveSeed(ctx.seed, cls.name, round, "diversify", call);
      const second = await tolerateMalformed(ctx, cls, "diversify", () =>
        diversifySummaries(ctx.client, ctx.templates, {
          cls,
          group,
          count: options.summariesPerCall,
          seed: diversifySeed,
        }),
      );
      return { first, second };
    }),
  );
  const summaries = batches.flatMap(({ first, second }) => [
    ...first.kept.map((text) => ({ phase: "summary" as const, text })),
    ...second.kept.map((text) => ({ phase: "diversified" as const, text })),
  ]);
  const ignored = batches.flatMap(({ first, second }) => [...first.dropped, ...second.dropped]);
  for (const d of ignored) await ctx.log(`${cls.name}: ignored summary "${d.text.slice(0, 80)}": ${d.reason}`);
  return { summaries, firstCount: batches.reduce((n, b) => n + b.first.kept.length, 0), ignored };
}

/** The seed of a summary's expansion: it depends on the summary, not on when it is expanded (resumes ask the same). */
export function expandSeedOf(runSeed: number, cls: GenerationClass, summary: string): number {
  return deriveSeed(runSeed, cls.name, "expand", summary);
}

/** Phase 3 for one summary: the example, or why there is none. Other LLM failures propagate. */
export async function expandToExample(
  ctx: GenerationStepContext,
  cls: GenerationClass,
  summary: string,
): Promise<ExpandAnswer> {
  await ctx.guard();
  try {
    const result = await expandSummary(ctx.client, ctx.templates, {
      cls,
      summary,
      seed: expandSeedOf(ctx.seed, cls, summary),
    });
    return "invalid" in result ? { drop: `invalid: ${result.invalid}` } : result;
  } catch (error) {
    if (error instanceof LlmError && error.llmCode === "LLM_MALFORMED_OUTPUT")
      return { drop: `malformed: ${error.message}` };
    throw error;
  }
}

export type ExpandAnswer = { text: string } | { drop: string };

/**
 * Phase 3 for a batch of summaries at once, then `keep` for each answer in summary order, one at a time, so which of
 * two near-identical examples survives does not depend on which answer arrived first. Answers that arrived are
 * kept even when another request of the batch failed; the first failure is returned for the caller to throw once
 * it has accounted for what was kept.
 */
export async function expandBatch<S>(
  ctx: GenerationStepContext,
  cls: GenerationClass,
  batch: S[],
  textOf: (summary: S) => string,
  keep: (summary: S, answer: ExpandAnswer) => Promise<void>,
): Promise<PromiseRejectedResult | undefined> {
  const answers = await Promise.allSettled(batch.map((summary) => expandToExample(ctx, cls, textOf(summary))));
  for (const [i, summary] of batch.entries()) {
    const answer = answers[i]!;
    if (answer.status === "fulfilled") await keep(summary, answer.value);
  }
  return answers.find((a): a is PromiseRejectedResult => a.status === "rejected");
}
