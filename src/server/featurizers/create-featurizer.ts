import { FeaturizerError, type Featurizer } from "@/server/featurizers/featurizer";
import { hybridFeaturizerId, parseFeaturizerId } from "@/server/featurizers/featurizer-spec";
import {
  createGloveFeaturizer,
  GLOVE_FEATURIZERS,
  type GloveFeaturizerId,
} from "@/server/featurizers/glove-featurizer";
import { createOpenAIFeaturizer, type OpenAIFeaturizerOptions } from "@/server/featurizers/openai-featurizer";
import { createUseLiteFeaturizer, USE_LITE_ID } from "@/server/featurizers/use-lite-featurizer";

/** The dense featurizer of the default: offline GloVe SIF vectors. */
export const DEFAULT_DENSE_FEATURIZER_ID = "glove-sif-200@1";
/** The hybrid of the default dense featurizer with the n-gram block (see featurizer-spec.ts). */
export const DEFAULT_HYBRID_FEATURIZER_ID = hybridFeaturizerId(DEFAULT_DENSE_FEATURIZER_ID);
/**
 * New projects and the CLI: the hybrid. With the full training sets of the shared benchmarks it matches or beats a
 * word + char TF-IDF logistic regression and beats GloVe alone by 1–34 macro-F1 points; with 50–200 random labels its
 * model selection falls back to the dense block where the n-grams only add noise (bench/results/ml.md).
 * Existing projects keep the id they were created with (it is part of every version).
 */
export const DEFAULT_FEATURIZER_ID: string = DEFAULT_HYBRID_FEATURIZER_ID;

export interface CreateFeaturizerOptions {
  /** Directory for derived caches (the GloVe binary); the app passes `.margin/cache` by default. */
  cacheDir: string;
  /** Worker threads for "use-lite-512@1". Default min(4, cores − 1). */
  useLiteThreads?: number;
  /** Connection settings for "openai:<model>" ids (model comes from the id). */
  openai?: Omit<OpenAIFeaturizerOptions, "model" | "dimensions">;
}

/**
 * The single entry point the server, worker and CLI use. Ids:
 * - "glove-sif-200@1" (default, offline, tens of thousands of texts/s), "glove-mean-100@1" (plain mean reference)
 * - "use-lite-512@1" (offline, Universal Sentence Encoder lite, ~100 short texts/s per thread)
 * - "openai:<model>" or "openai:<model>:d<dims>" (any OpenAI-compatible endpoint; needs options.openai)
 * - "ngrams@1+<one of the above>": the hybrid's dense block, i.e. that featurizer (the n-gram block lives in the model)
 */
export async function createFeaturizer(id: string, options: CreateFeaturizerOptions): Promise<Featurizer> {
  const spec = parseFeaturizerId(id);
  if (spec.ngrams) return createFeaturizer(spec.dense, options);
  if (id in GLOVE_FEATURIZERS) return createGloveFeaturizer(id as GloveFeaturizerId, options.cacheDir);
  if (id === USE_LITE_ID) return createUseLiteFeaturizer({ threads: options.useLiteThreads });
  const m = /^openai:(.+?)(?::d(\d+))?$/.exec(id);
  if (m) {
    if (!options.openai)
      throw new FeaturizerError(
        "FEATURIZER_CONFIG",
        `featurizer ${id} needs OpenAI-compatible connection settings (baseURL, apiKey)`,
      );
    return createOpenAIFeaturizer({ ...options.openai, model: m[1]!, dimensions: m[2] ? Number(m[2]) : undefined });
  }
  throw new FeaturizerError(
    "FEATURIZER_UNKNOWN_ID",
    `unknown featurizer id "${id}" (known: ${[...Object.keys(GLOVE_FEATURIZERS), USE_LITE_ID, "openai:<model>"].join(", ")})`,
  );
}
