import { GloveSentenceEncoder, type GloveEncoderConfig } from "@/ml/glove-sentence-encoder";
import { encodeWithThreads, prepareGloveEncodeThreads } from "@/server/compute/glove-encode-threads";
import { loadOrBuildGloveCache, type GloveVectors } from "@/server/featurizers/glove-cache";
import type { Featurizer } from "@/server/featurizers/featurizer";

/** Public GloVe featurizer ids → encoder configs. Changing a config requires a new id (bump @N). */
export const GLOVE_FEATURIZERS = {
  /**
   * Default, 200-d: [SIF-weighted mean (a = 1e-3) ; plain mean] of GloVe-100d, each half L2-normalized, unknown
   * words via hashed character n-grams. Chosen on bench/results/ml.md (beats plain mean on 5 of 6 datasets).
   */
  "glove-sif-200@1": {
    weighting: "sif",
    sifA: 1e-3,
    removeComponents: 0,
    center: false,
    l2: true,
    oov: "ngram",
    concatMean: true,
  },
  /** Reference: plain mean of known words (the datasets README baseline). */
  "glove-mean-100@1": { weighting: "mean", removeComponents: 0, center: false, l2: false, oov: "skip" },
} as const satisfies Record<string, GloveEncoderConfig>;

export type GloveFeaturizerId = keyof typeof GLOVE_FEATURIZERS;

const vectorsByDir = new Map<string, GloveVectors>();

/** Loads (building on first use, ~6 s) the binary GloVe cache under cacheDir; memoized per process. */
export function gloveVectors(cacheDir: string): GloveVectors {
  let g = vectorsByDir.get(cacheDir);
  if (!g) {
    g = loadOrBuildGloveCache({ cacheDir });
    vectorsByDir.set(cacheDir, g);
  }
  return g;
}

export function createGloveFeaturizer(
  id: GloveFeaturizerId,
  cacheDir: string,
  config: GloveEncoderConfig = GLOVE_FEATURIZERS[id],
): Featurizer {
  const g = gloveVectors(cacheDir);
  const encoder = new GloveSentenceEncoder(g.words, g.vectors, g.dim, config);
  prepareGloveEncodeThreads(cacheDir, config);
  return {
    id,
    dim: encoder.dim,
    // Large batches share the encoding with helper threads where the process turned them on (same vectors).
    embed: async (texts) => encodeWithThreads(texts, encoder.dim, cacheDir, config, (t) => encoder.encode(t)),
    close: async () => {},
  };
}
