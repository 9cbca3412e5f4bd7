import path from "node:path";
import { env } from "@/env";
import { createFeaturizer } from "@/server/featurizers/create-featurizer";
import type { Featurizer } from "@/server/featurizers/featurizer";

/** Where featurizers keep derived caches (the GloVe binary): `$MARGIN_DATA_DIR/cache`. */
export function featurizerCacheDir(): string {
  return path.resolve(env().MARGIN_DATA_DIR, "cache");
}

const globalForFeaturizers = globalThis as unknown as { marginFeaturizers?: Map<string, Promise<Featurizer>> };

/** One featurizer per id per process: loading GloVe takes seconds, embedding afterwards is fast. */
export function featurizerFor(id: string): Promise<Featurizer> {
  const cache = (globalForFeaturizers.marginFeaturizers ??= new Map());
  let featurizer = cache.get(id);
  if (!featurizer) {
    featurizer = createFeaturizer(id, { cacheDir: featurizerCacheDir() });
    featurizer.catch(() => cache.delete(id));
    cache.set(id, featurizer);
  }
  return featurizer;
}
