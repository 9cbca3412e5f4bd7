import { env } from "@/env";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
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
    { id: DEFAULT_FEATURIZER_ID, label: "GloVe SIF (offline, default)", note: "Tens of thousands of texts per second; no network, no key." },
    { id: USE_LITE_ID, label: "Universal Sentence Encoder lite (offline)", note: "More accurate on short, varied texts; about 200 short texts per second on 2 idle cores (GloVe: tens of thousands)." },
  ];
  const model = env().LLM_EMBEDDING_MODEL;
  if (model) options.push({ id: `openai:${model}`, label: `${model} (embedding endpoint)`, note: "Best quality for most data; every new text is one call to the configured endpoint." });
  return options;
}
