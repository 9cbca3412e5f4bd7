import { FeaturizerError, type Featurizer } from "@/server/featurizers/featurizer";
import { createGloveFeaturizer, GLOVE_FEATURIZERS, type GloveFeaturizerId } from "@/server/featurizers/glove-featurizer";
import { createOpenAIFeaturizer, type OpenAIFeaturizerOptions } from "@/server/featurizers/openai-featurizer";
import { createUseLiteFeaturizer, USE_LITE_ID } from "@/server/featurizers/use-lite-featurizer";

export const DEFAULT_FEATURIZER_ID = "glove-sif-200@1";

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
 */
export async function createFeaturizer(id: string, options: CreateFeaturizerOptions): Promise<Featurizer> {
  if (id in GLOVE_FEATURIZERS) return createGloveFeaturizer(id as GloveFeaturizerId, options.cacheDir);
  if (id === USE_LITE_ID) return createUseLiteFeaturizer({ threads: options.useLiteThreads });
  const m = /^openai:(.+?)(?::d(\d+))?$/.exec(id);
  if (m) {
    if (!options.openai) throw new FeaturizerError("FEATURIZER_CONFIG", `featurizer ${id} needs OpenAI-compatible connection settings (baseURL, apiKey)`);
    return createOpenAIFeaturizer({ ...options.openai, model: m[1]!, dimensions: m[2] ? Number(m[2]) : undefined });
  }
  throw new FeaturizerError("FEATURIZER_UNKNOWN_ID", `unknown featurizer id "${id}" (known: ${[...Object.keys(GLOVE_FEATURIZERS), USE_LITE_ID, "openai:<model>"].join(", ")})`);
}
