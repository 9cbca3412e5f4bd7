import { predictProbaRows, type ClassifierModel } from "@/ml/classifier-model";
import { predictProba } from "@/ml/linear-model";
import { ngramMatrix } from "@/ml/ngram-vocabulary";

export interface ModelInput {
  n: number;
  /** [n × dim] featurizer vectors (empty for a model without a dense block). */
  dense: Float32Array;
  /** The texts themselves; needed only by models that read them directly (see modelReadsText). */
  texts: readonly string[] | null;
}

/** Whether a model reads the raw texts besides their featurizer vectors (a hybrid's n-gram block does). */
export function modelReadsText(model: ClassifierModel): boolean {
  return model.sparse !== undefined;
}

/**
 * A trained model's calibrated probabilities [n × K]: the one place that assembles what a model reads from a text —
 * featurizer vectors, and for a hybrid model the TF-IDF n-grams under the vocabulary stored in the model — shared
 * by every predict path (playground, HTTP API, CLI, scoring, Compare, test-set evaluation).
 */
export function modelProbabilities(model: ClassifierModel, input: ModelInput): Float32Array {
  if (input.dense.length !== input.n * model.dim)
    throw new Error(
      `modelProbabilities: ${input.dense.length} vector values for ${input.n} texts of ${model.dim} dimensions`,
    );
  if (!model.sparse) return predictProba(model, input.dense, input.n);
  if (!input.texts || input.texts.length !== input.n)
    throw new Error("modelProbabilities: this model reads the texts; none were given");
  const sparse = ngramMatrix(model.sparse.vocabulary, input.texts as string[]);
  return predictProbaRows(model, { n: input.n, dense: model.dim > 0 ? input.dense : null, d: model.dim, sparse });
}
