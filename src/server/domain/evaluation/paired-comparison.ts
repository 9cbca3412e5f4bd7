import { mcnemarExact } from "@/ml/compare-classifiers";
import { bootstrapMacroF1 } from "@/ml/bootstrap-macro-f1";
import type { StoredEvaluation } from "@/server/domain/evaluation/evaluate-on-test-set";
import type { TestItem } from "@/server/domain/evaluation/test-set";

export type Verdict = "better" | "worse" | "no-difference";

export interface PairedComparison {
  n: number;
  /** macroF1(B) − macroF1(A) with its paired bootstrap 95% interval. */
  macroF1Diff: { estimate: number; ci95: [number, number]; resamples: number };
  /** Exact-match McNemar: b = A right & B wrong, c = A wrong & B right (shown beside the interval, never decides). */
  mcnemar: { b: number; c: number; pValue: number };
  verdict: Verdict;
  /** Row indices (test-set order) where the two predict different classes. */
  disagreements: number[];
}

/** Seed of a pair's bootstrap: the same two versions give the same interval in either order, on every page. */
export function pairSeed(a: number, b: number): number {
  return Math.min(a, b) * 7919 + Math.max(a, b);
}

/**
 * THE verdict rule (Compare's sentence, the promotion rule and the stopping signal all use it): B is better when
 * the whole 95% interval of the macro-F1 difference is above 0, worse when it is all below 0, otherwise the test
 * set cannot tell them apart. One rule on one interval, so a sentence and the interval beside it cannot disagree.
 */
export function verdictOf(ci95: [number, number]): Verdict {
  if (ci95[0] > 0) return "better";
  if (ci95[1] < 0) return "worse";
  return "no-difference";
}

/**
 * Two versions' stored predictions on the same test items, compared pairwise: both rest on one test-set key, so
 * the figures are the ones the Models table shows for each.
 */
export function comparePaired(
  items: TestItem[],
  classIds: number[],
  a: { versionId: number; evaluation: StoredEvaluation },
  b: { versionId: number; evaluation: StoredEvaluation },
): PairedComparison {
  const n = items.length;
  if (a.evaluation.n !== n || b.evaluation.n !== n || a.evaluation.testSetKey !== b.evaluation.testSetKey) {
    throw new Error("comparePaired: the evaluations rest on different test sets");
  }
  // One extra column: a class a version predicts that the project no longer has (always wrong).
  const index = new Map(classIds.map((id, k) => [id, k]));
  const K = classIds.length + 1;
  const OTHER = classIds.length;
  const truth = new Uint8Array(n * K);
  const A = new Uint8Array(n * K);
  const B = new Uint8Array(n * K);
  items.forEach((item, i) => item.classIds.forEach((id) => (truth[i * K + (index.get(id) ?? OTHER)] = 1)));
  a.evaluation.predicted.forEach((ids, i) => ids.forEach((id) => (A[i * K + (index.get(id) ?? OTHER)] = 1)));
  b.evaluation.predicted.forEach((ids, i) => ids.forEach((id) => (B[i * K + (index.get(id) ?? OTHER)] = 1)));
  let bCount = 0;
  let cCount = 0;
  const disagreements: number[] = [];
  for (let i = 0; i < n; i++) {
    let okA = true;
    let okB = true;
    let differ = false;
    for (let k = 0; k < K; k++) {
      const t = truth[i * K + k];
      if (A[i * K + k] !== t) okA = false;
      if (B[i * K + k] !== t) okB = false;
      if (A[i * K + k] !== B[i * K + k]) differ = true;
    }
    if (okA && !okB) bCount++;
    if (!okA && okB) cCount++;
    if (differ) disagreements.push(i);
  }
  // Ordered by version id so that either direction draws the same resamples; the difference is then B − A.
  const flip = a.versionId > b.versionId;
  const { difference, resamples } = bootstrapMacroF1(truth, flip ? [B, A] : [A, B], n, K, {
    seed: pairSeed(a.versionId, b.versionId),
  });
  const d = difference!;
  const macroF1Diff = flip
    ? { estimate: -d.estimate, ci95: [-d.ci95[1], -d.ci95[0]] as [number, number], resamples }
    : { ...d, resamples };
  return {
    n,
    macroF1Diff,
    mcnemar: { b: bCount, c: cCount, pValue: mcnemarExact(bCount, cCount) },
    verdict: verdictOf(macroF1Diff.ci95),
    disagreements,
  };
}
