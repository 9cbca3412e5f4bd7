/**
 * A project's or version's featurizer id names what its model reads from a text:
 * - "<dense id>" — featurizer vectors only (e.g. "glove-sif-200@1", "use-lite-512@1", "openai:<model>");
 * - "ngrams@1+<dense id>" — the hybrid: word 1–2-gram + char 2–5-gram TF-IDF (src/ml/ngram-vocabulary.ts) next to
 *   the dense vectors. The n-gram block's vocabulary and IDF are fitted at training time and stored in the model
 *   artifact, so they belong to the version, not to the featurizer; vectors, similarity search, near-duplicates
 *   and batch diversity use the dense block, whose id keys the shared embedding cache.
 */
export interface FeaturizerSpec {
  /** The dense featurizer's id (the embedding cache key). */
  dense: string;
  /** Whether models also read the texts' n-grams. */
  ngrams: boolean;
}

export const NGRAMS_PREFIX = "ngrams@1+";

export function parseFeaturizerId(id: string): FeaturizerSpec {
  if (id.startsWith(NGRAMS_PREFIX)) return { dense: id.slice(NGRAMS_PREFIX.length), ngrams: true };
  return { dense: id, ngrams: false };
}

export function hybridFeaturizerId(denseId: string): string {
  return `${NGRAMS_PREFIX}${denseId}`;
}
