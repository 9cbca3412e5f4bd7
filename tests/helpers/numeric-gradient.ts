import type { ObjectiveFn } from "@/ml/lbfgs";

/** Central finite differences (step h) of an objective at theta: the reference analytic gradients are checked against. */
export function numericGradient(fg: ObjectiveFn, theta: Float64Array, h = 1e-6): Float64Array {
  const scratch = new Float64Array(theta.length);
  const num = new Float64Array(theta.length);
  for (let p = 0; p < theta.length; p++) {
    const t = Float64Array.from(theta);
    t[p] = theta[p]! + h;
    const fp = fg(t, scratch);
    t[p] = theta[p]! - h;
    const fm = fg(t, scratch);
    num[p] = (fp - fm) / (2 * h);
  }
  return num;
}
