import { argmaxRow, type Task } from "@/ml/linear-model";

export interface ClassDecisions {
  /** [n] index of the most probable class (ties → lowest index), for both tasks. */
  top: Int32Array;
  /** [n × K] 0/1: single-label has exactly the top class on; multi-label every class with p_k ≥ thresholds[k]. */
  on: Uint8Array;
  /** [n] single-label only: 1 when the top probability is under its class's threshold ("unsure"); 0 for multi-label. */
  unsure: Uint8Array;
}

/**
 * The one rule that turns calibrated probabilities [n × K] into decisions: every predict path (playground, HTTP
 * API, CLI, scoring, Compare, evaluation, zero-shot versions) calls this, so a class is "predicted" the same way
 * everywhere. Single-label: argmax; "unsure" when p_top < thresholds[top] (0 = never). Multi-label: label k is on
 * when p_k ≥ thresholds[k] (0.5 by default). A NaN probability never turns a label on and makes the row unsure.
 */
export function decideClasses(
  proba: ArrayLike<number>,
  n: number,
  K: number,
  task: Task,
  thresholds: ArrayLike<number>,
): ClassDecisions {
  if (thresholds.length !== K) throw new Error(`decideClasses: ${thresholds.length} thresholds for ${K} classes`);
  const top = new Int32Array(n);
  const on = new Uint8Array(n * K);
  const unsure = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = argmaxRow(proba, i, K);
    top[i] = k;
    if (task === "single-label") {
      on[i * K + k] = 1;
      if (!(proba[i * K + k]! >= thresholds[k]!)) unsure[i] = 1;
    } else {
      for (let j = 0; j < K; j++) if (proba[i * K + j]! >= thresholds[j]!) on[i * K + j] = 1;
    }
  }
  return { top, on, unsure };
}
