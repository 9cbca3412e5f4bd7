import { env } from "@/env";
import {
  DEFAULT_DENSE_FEATURIZER_ID,
  DEFAULT_FEATURIZER_ID,
  DEFAULT_HYBRID_FEATURIZER_ID,
} from "@/server/featurizers/create-featurizer";
import { hybridFeaturizerId } from "@/server/featurizers/featurizer-spec";
import { USE_LITE_ID } from "@/server/featurizers/use-lite-featurizer";

export interface FeaturizerOption {
  id: string;
  label: string;
  /** What the choice costs, in the terms an admin decides on (speed on this kind of machine, quality, network). */
  note: string;
}

/**
 * The featurizers an admin can choose for a project on this server. Speeds are the ones measured in
 * bench/results/ml.md on a 2-core machine; an OpenAI-compatible embedding model is offered only when the server
 * names one (LLM_EMBEDDING_MODEL).
 */
export function availableFeaturizers(): FeaturizerOption[] {
  const options: FeaturizerOption[] = [
    {
      id: DEFAULT_HYBRID_FEATURIZER_ID,
      label: "Word & character n-grams + GloVe SIF (offline)",
      note: "N-gram TF-IDF next to GloVe vectors: beats either part alone on most data (bench/results/ml.md); no network, no key.",
    },
    {
      id: hybridFeaturizerId(USE_LITE_ID),
      label: "Word & character n-grams + Universal Sentence Encoder lite (offline)",
      note: "Strongest offline choice with few labels; embeds about 200 short texts per second on 2 idle cores.",
    },
    {
      id: DEFAULT_DENSE_FEATURIZER_ID,
      label: "GloVe SIF only (offline)",
      note: "Dense vectors alone; tens of thousands of texts per second.",
    },
    {
      id: USE_LITE_ID,
      label: "Universal Sentence Encoder lite only (offline)",
      note: "Dense vectors alone; about 200 short texts per second on 2 idle cores.",
    },
  ];
  // The default first, named as such.
  options.sort((a, b) => Number(b.id === DEFAULT_FEATURIZER_ID) - Number(a.id === DEFAULT_FEATURIZER_ID));
  options[0]!.label += " — default";
  const model = env().LLM_EMBEDDING_MODEL;
  if (model) {
    options.push({
      id: hybridFeaturizerId(`openai:${model}`),
      label: `Word & character n-grams + ${model} (embedding endpoint)`,
      note: "Best quality for most data; every new text is one call to the configured endpoint.",
    });
    options.push({
      id: `openai:${model}`,
      label: `${model} only (embedding endpoint)`,
      note: "Dense vectors alone; every new text is one call to the configured endpoint.",
    });
  }
  return options;
}
