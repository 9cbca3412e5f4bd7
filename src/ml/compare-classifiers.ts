import { confusionMatrix, evaluateSingleLabel, macroF1FromConfusion } from "@/ml/metrics";
import { createRng } from "@/ml/rng";

/**
 * Exact two-sided McNemar test: under H0 the b discordant pairs (A right, B wrong) among b + c are Binomial(b + c, ½).
 * p = min(1, 2 · P[X ≤ min(b, c)]). Computed in log space, so large counts do not underflow.
 */
export function mcnemarExact(b: number, c: number): number {
  const m = b + c;
  if (m === 0) return 1;
  const lo = Math.min(b, c);
  // log pmf(i) = log C(m, i) − m log 2, accumulated iteratively.
  let logPmf = -m * Math.LN2;
  let logCdf = logPmf;
  for (let i = 0; i < lo; i++) {
    logPmf += Math.log((m - i) / (i + 1));
    logCdf = logCdf > logPmf ? logCdf + Math.log1p(Math.exp(logPmf - logCdf)) : logPmf + Math.log1p(Math.exp(logCdf - logPmf));
  }
  return Math.min(1, 2 * Math.exp(logCdf));
}

export interface ClassDelta { label: string; precisionA: number; precisionB: number; recallA: number; recallB: number; f1A: number; f1B: number; f1Delta: number }

export interface Comparison {
  n: number;
  accuracyA: number;
  accuracyB: number;
  macroF1A: number;
  macroF1B: number;
  perClass: ClassDelta[];
  /** b = A right & B wrong, c = A wrong & B right. */
  mcnemar: { b: number; c: number; pValue: number };
  /** Bootstrap (paired, seeded) of macroF1(B) − macroF1(A). */
  macroF1Diff: { estimate: number; ci95: [number, number]; resamples: number };
  /** Indices where A and B predict different classes. */
  disagreements: number[];
}

/** A/B comparison of two single-label models' predictions on the same labeled set. */
export function compareClassifiers(
  yTrue: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>, classes: string[],
  options: { seed?: number; resamples?: number } = {},
): Comparison {
  const n = yTrue.length;
  const K = classes.length;
  const ra = evaluateSingleLabel(yTrue, predA, classes);
  const rb = evaluateSingleLabel(yTrue, predB, classes);
  let b = 0, c = 0;
  const disagreements: number[] = [];
  for (let i = 0; i < n; i++) {
    const aOk = predA[i] === yTrue[i];
    const bOk = predB[i] === yTrue[i];
    if (aOk && !bOk) b++;
    else if (!aOk && bOk) c++;
    if (predA[i] !== predB[i]) disagreements.push(i);
  }
  const resamples = options.resamples ?? 1000;
  const rng = createRng(options.seed ?? 0);
  const diffs = new Float64Array(resamples);
  const CA = new Int32Array(K * K);
  const CB = new Int32Array(K * K);
  for (let r = 0; r < resamples; r++) {
    CA.fill(0); CB.fill(0);
    for (let t = 0; t < n; t++) {
      const i = rng.int(n);
      const y = yTrue[i]!;
      CA[y * K + predA[i]!]! += 1;
      CB[y * K + predB[i]!]! += 1;
    }
    diffs[r] = macroF1FromConfusion(CB, K) - macroF1FromConfusion(CA, K);
  }
  diffs.sort();
  const q = (p: number): number => (resamples > 0 ? diffs[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))]! : NaN);
  const estimate = macroF1FromConfusion(confusionMatrix(yTrue, predB, K), K) - macroF1FromConfusion(confusionMatrix(yTrue, predA, K), K);
  return {
    n,
    accuracyA: ra.accuracy, accuracyB: rb.accuracy, macroF1A: ra.macro.f1, macroF1B: rb.macro.f1,
    perClass: ra.perClass.map((a, k) => {
      const bb = rb.perClass[k]!;
      return { label: a.label, precisionA: a.precision, precisionB: bb.precision, recallA: a.recall, recallB: bb.recall, f1A: a.f1, f1B: bb.f1, f1Delta: bb.f1 - a.f1 };
    }),
    mcnemar: { b, c, pValue: mcnemarExact(b, c) },
    macroF1Diff: { estimate, ci95: [q(0.025), q(0.975)], resamples },
    disagreements,
  };
}
