import type { ClassifierModel } from "@/ml/classifier-model";
import { decideClasses, type ClassDecisions } from "@/ml/decide-classes";
import { modelProbabilities } from "@/ml/model-probabilities";

export interface ModelPredictions extends ClassDecisions {
  /** [n × K] calibrated probabilities in the model's class order. */
  proba: Float32Array;
}

/**
 * Runs a trained classifier on texts. `embed` supplies the featurizer vectors ([n × dim]): through the embedding
 * cache for a stored version, straight from the featurizer for a model file in the CLI.
 */
export async function predictWithModel(
  model: ClassifierModel,
  texts: string[],
  embed: (texts: string[]) => Promise<Float32Array>,
): Promise<ModelPredictions> {
  // A sparse-only model (dim 0) reads nothing from the featurizer.
  const dense = texts.length === 0 || model.dim === 0 ? new Float32Array(0) : await embed(texts);
  const proba = modelProbabilities(model, { n: texts.length, dense, texts });
  return { proba, ...decideClasses(proba, texts.length, model.classes.length, model.task, model.thresholds) };
}
