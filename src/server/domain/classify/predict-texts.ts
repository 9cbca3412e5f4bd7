import { classifyMultiLabel, classifySingleLabel, type ClassifierModel } from "@/ml/classifier-model";

export interface TextPrediction {
  data: string;
  /** The predicted class (single-label), or the classes that are on (multi-label). */
  prediction: string | string[];
  /** Calibrated probability per class, in the model's class order. */
  probabilities: Record<string, number>;
  /** Single-label only: the top probability is below the class's decision threshold. */
  unsure?: boolean;
}

/** Turns a classifier's output on already-embedded texts into one record per text (the shape Lamini prints). */
export function predictTexts(model: ClassifierModel, texts: string[], vectors: Float32Array): TextPrediction[] {
  const K = model.classes.length;
  const n = texts.length;
  const probabilitiesOf = (proba: Float32Array, i: number) =>
    Object.fromEntries(model.classes.map((name, k) => [name, Math.round(proba[i * K + k]! * 1e6) / 1e6]));
  if (model.task === "single-label") {
    const { labels, unsure, proba } = classifySingleLabel(model, vectors, n);
    return texts.map((data, i) => ({ data, prediction: model.classes[labels[i]!]!, probabilities: probabilitiesOf(proba, i), unsure: unsure[i] === 1 }));
  }
  const { labels, proba } = classifyMultiLabel(model, vectors, n);
  return texts.map((data, i) => ({ data, prediction: model.classes.filter((_, k) => labels[i * K + k] === 1), probabilities: probabilitiesOf(proba, i) }));
}
