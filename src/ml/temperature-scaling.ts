import { softplus } from "@/ml/softmax";
import type { Task } from "@/ml/linear-model";

/**
 * Mean NLL of held-out targets under logits scaled by β = 1/T. Single-label: softmax; multi-label: sigmoids.
 * logits: [n × K]; target: Int32Array [n] (class index) or Uint8Array [n × K] (0/1).
 */
export function scaledNll(
  logits: Float32Array,
  n: number,
  K: number,
  task: Task,
  target: Int32Array | Uint8Array,
  beta: number,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = i * K;
    if (task === "single-label") {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (beta * logits[o + k]! > max) max = beta * logits[o + k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(beta * logits[o + k]! - max);
      s += max + Math.log(sum) - beta * logits[o + target[i]!]!;
    } else {
      for (let k = 0; k < K; k++) {
        const z = beta * logits[o + k]!;
        s += target[o + k] ? softplus(-z) : softplus(z);
      }
    }
  }
  return n > 0 ? s / n : 0;
}

/**
 * Temperature T > 0 minimizing held-out NLL (Guo et al. 2017). NLL is convex in β = 1/T, so a golden-section
 * search over log β in [1/100, 100] finds the optimum. Returns 1 for empty input.
 */
export function fitTemperature(
  logits: Float32Array,
  n: number,
  K: number,
  task: Task,
  target: Int32Array | Uint8Array,
): number {
  if (n === 0 || K < 1) return 1;
  let a = Math.log(0.01);
  let b = Math.log(100);
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (lb: number): number => scaledNll(logits, n, K, task, target, Math.exp(lb));
  let x1 = b - g * (b - a),
    x2 = a + g * (b - a);
  let f1 = f(x1),
    f2 = f(x2);
  for (let it = 0; it < 60 && b - a > 1e-6; it++) {
    if (f1 <= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    }
  }
  const beta = Math.exp((a + b) / 2);
  return Number.isFinite(beta) && beta > 0 ? 1 / beta : 1;
}
