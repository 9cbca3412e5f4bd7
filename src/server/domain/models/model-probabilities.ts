import type { ClassifierModel } from "@/ml/classifier-model";
import { predictProba } from "@/ml/linear-model";

export interface ModelInput {
  n: number;
  /** [n × dim] featurizer vectors. */
  dense: Float32Array;
  /** The texts themselves; needed only by models that read them directly (see modelReadsText). */
  texts: readonly string[] | null;
}

/** Whether a model needs the raw texts besides their featurizer vectors (scoring then reads them too). */
export function modelReadsText(_model: ClassifierModel): boolean {
  return false;
}

/**
 * A trained model's calibrated probabilities [n × K]: the one place that assembles what a model reads from a text,
 * shared by every predict path (playground, HTTP API, CLI, scoring, Compare, test-set evaluation).
 */
export function modelProbabilities(model: ClassifierModel, input: ModelInput): Float32Array {
  if (input.dense.length !== input.n * model.dim) throw new Error(`modelProbabilities: ${input.dense.length} vector values for ${input.n} texts of ${model.dim} dimensions`);
  if (modelReadsText(model) && (!input.texts || input.texts.length !== input.n)) throw new Error("modelProbabilities: this model reads the texts; none were given");
  return predictProba(model, input.dense, input.n);
}
