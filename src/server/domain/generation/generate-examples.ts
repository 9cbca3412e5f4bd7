import { seededShuffle } from "@/server/domain/generation/derive-seed";
import type { GenerationOptions } from "@/server/schemas/generation-options";
import {
  askRoundSummaries,
  expandBatch,
  MAX_STALE_ROUNDS,
  maxRoundsFor,
  type ExpandAnswer,
  type GenerationStepContext,
} from "@/server/domain/generation/generation-steps";
import { NearDuplicateIndex, type EmbedTexts } from "@/ml/near-duplicate-index";
import { contentHash } from "@/server/domain/items/content-hash";
import type { LlmClient } from "@/server/llm/llm-client";
import type { PromptTemplates } from "@/server/llm/prompt-templates";

export interface GenerateExamplesInput {
  /** Each class with its prompt and the examples it already has (shown as history, indexed for near-duplicates). */
  classes: { name: string; description: string; examples: string[] }[];
  /** Every text already in the training set, whatever its class: generated exact duplicates of these are dropped. */
  existingTexts: Iterable<string>;
  options: GenerationOptions;
  templates: PromptTemplates;
}

export interface GenerateExamplesDeps {
  /** Shared by all classes: its limiter bounds concurrent requests across the whole generation. */
  client: LlmClient;
  /** The featurizer the examples will be trained on; without one only exact duplicates are dropped. */
  embed?: EmbedTexts;
  log?(message: string, level?: "info" | "warn" | "error"): void;
  /** After every kept example and when a class ends: how many the class has of its target (the CLI's progress). */
  onProgress?(className: string, kept: number, target: number): void;
}

export interface GeneratedClass {
  name: string;
  examples: string[];
  /** Expansions not kept, with the summary they came from and why. */
  dropped: { summary: string; reason: string }[];
  /** Summaries not expanded: unusable in an answer, or already asked in an earlier round. */
  ignoredSummaries: number;
  rounds: number;
  /** Set when the class stopped short of the target. */
  stopped?: string;
}

/**
 * Lamini's three phases for every class, in memory — for the offline CLI, which has no database. The LLM steps are
 * the generation job's own (generation-steps.ts), with the same seeds; what differs is that nothing is persisted, so
 * an interrupted run starts over, and duplicates are checked against the texts given here instead of a project.
 * Classes run at once; the first failure stops the others at their next request.
 */
export async function generateExamples(
  input: GenerateExamplesInput,
  deps: GenerateExamplesDeps,
): Promise<GeneratedClass[]> {
  const { options } = input;
  const target = options.targetPerClass;
  const log = deps.log ?? (() => {});
  const seen = new Set<string>();
  for (const text of input.existingTexts) seen.add(contentHash(text));

  let failure: unknown;
  const guard = async () => {
    if (failure) throw failure;
  };
  const steps: GenerationStepContext = {
    client: deps.client,
    templates: input.templates,
    seed: options.seed,
    log,
    guard,
  };

  async function generateForClass(cls: GenerateExamplesInput["classes"][number]): Promise<GeneratedClass> {
    const result: GeneratedClass = { name: cls.name, examples: [], dropped: [], ignoredSummaries: 0, rounds: 0 };
    // The index's ids point into `indexed`, so a drop can quote the example it is too close to.
    const indexed: string[] = [];
    let index: NearDuplicateIndex | undefined;
    if (deps.embed) {
      index = new NearDuplicateIndex(deps.embed, options.nearDuplicateThreshold);
      await index.addTexts(
        cls.examples,
        cls.examples.map((_, i) => i),
      );
      indexed.push(...cls.examples);
    }
    const asked = new Set<string>();
    const pending: string[] = [];
    const drop = (summary: string, reason: string) => {
      result.dropped.push({ summary, reason });
      log(`${cls.name}: dropped "${summary.slice(0, 80)}": ${reason}`);
    };

    /** Called in summary order (see expandBatch). */
    async function keepOne(summary: string, answer: ExpandAnswer) {
      if ("drop" in answer) return drop(summary, answer.drop);
      const hash = contentHash(answer.text);
      if (seen.has(hash)) return drop(summary, "duplicate of an existing example");
      const vector = index ? await index.vectorOf(answer.text) : undefined;
      if (index && vector) {
        const near = index.nearest(vector);
        if (near)
          return drop(
            summary,
            `near-duplicate (cosine ${near.similarity.toFixed(3)}) of "${(indexed[near.id ?? -1] ?? "?").slice(0, 60)}"`,
          );
      }
      // Another class may have kept the same text while this one was embedding.
      if (seen.has(hash)) return drop(summary, "duplicate of an existing example");
      seen.add(hash);
      if (index && vector) {
        index.push(vector, indexed.length);
        indexed.push(answer.text);
      }
      result.examples.push(answer.text);
      deps.onProgress?.(cls.name, result.examples.length, target);
    }

    const maxRounds = maxRoundsFor(0, target, options);
    let stale = 0;
    let keptAtRoundStart = -1;
    while (result.examples.length < target) {
      await guard();
      const have = result.examples.length;
      if (pending.length > 0) {
        const failed = await expandBatch(steps, cls, pending.splice(0, target - have), (summary) => summary, keepOne);
        if (failed) throw failed.reason;
        continue;
      }
      stale = have === keptAtRoundStart ? stale + 1 : 0;
      keptAtRoundStart = have;
      if (stale >= MAX_STALE_ROUNDS || result.rounds >= maxRounds) {
        result.stopped = `stopped at ${have} of ${target} after ${result.rounds} rounds: the model keeps producing duplicates or unusable answers; try another --seed or a richer class prompt`;
        log(`${cls.name}: ${result.stopped}`, "warn");
        deps.onProgress?.(cls.name, have, target);
        return result;
      }
      const round = result.rounds;
      // History: the class's examples as they stand when the round starts, in an order chosen by the round's seed.
      const history = [...cls.examples, ...result.examples];
      const { summaries, firstCount, ignored } = await askRoundSummaries(steps, cls, {
        round,
        remaining: target - have,
        options,
        history: async (seed) => seededShuffle(history, seed).slice(0, options.maxHistory),
      });
      result.ignoredSummaries += ignored.length;
      let added = 0;
      for (const { text } of summaries) {
        if (asked.has(text)) {
          result.ignoredSummaries++;
          continue;
        }
        asked.add(text);
        pending.push(text);
        added++;
      }
      log(
        `${cls.name}: round ${round + 1}: ${firstCount} summaries, ${summaries.length - firstCount} diversified, ${added} new`,
      );
      result.rounds++;
    }
    return result;
  }

  const outcomes = await Promise.allSettled(
    input.classes.map((cls) =>
      generateForClass(cls).catch((error: unknown) => {
        failure ??= error;
        throw error;
      }),
    ),
  );
  if (failure !== undefined) throw failure;
  return outcomes.map((o) => (o as PromiseFulfilledResult<GeneratedClass>).value);
}
