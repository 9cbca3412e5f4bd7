import type { Task } from "@/ml/linear-model";

export interface TextPrediction {
  data: string;
  /** The predicted class (single-label), or the classes that are on (multi-label). */
  prediction: string | string[];
  /** Calibrated probability per class, in the model's class order (rounded to 6 decimals). */
  probabilities: Record<string, number>;
  /** Single-label only: the top probability is below the class's decision threshold. */
  unsure?: boolean;
}

/**
 * One record per text in the shape Lamini prints (the HTTP API and the CLI answer with it), from predictions already
 * decided by the one decision rule: nothing here decides a class.
 */
export function toTextPredictions(
  texts: string[],
  classNames: string[],
  task: Task,
  p: { probabilities: Float32Array; top: Int32Array; unsure: Uint8Array; /** [n × K] 0/1 */ on: Uint8Array },
): TextPrediction[] {
  const K = classNames.length;
  return texts.map((data, i) => {
    const probabilities = Object.fromEntries(
      classNames.map((name, k) => [name, Math.round(p.probabilities[i * K + k]! * 1e6) / 1e6]),
    );
    if (task === "multi-label")
      return { data, prediction: classNames.filter((_, k) => p.on[i * K + k] === 1), probabilities };
    return { data, prediction: classNames[p.top[i]!]!, probabilities, unsure: p.unsure[i] === 1 };
  });
}
