import type { StoredEvaluation } from "@/server/domain/evaluation/evaluate-on-test-set";
import { comparePaired } from "@/server/domain/evaluation/paired-comparison";
import type { TestItem } from "@/server/domain/evaluation/test-set";

export type PromotionPolicy = "always" | "when_not_worse" | "never";

export interface PromotionInput {
  policy: PromotionPolicy;
  items: TestItem[];
  classIds: number[];
  candidate: { versionId: number; number: number; evaluation: StoredEvaluation | null };
  /** The version live now, measured on the same test items; null when none is active. */
  active: { versionId: number; number: number; evaluation: StoredEvaluation | null } | null;
}

const pt = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;

/**
 * Whether a finished retrain goes live by itself (docs/evaluation.md):
 * - no active version: it does (the queue needs a model), whatever the policy;
 * - always: it does; never: it does not (an admin promotes it on Compare);
 * - when not worse: it does unless, on the labeled test items both were measured on, the paired bootstrap 95%
 *   interval of its macro-F1 minus the active version's lies entirely below 0 (the one verdict rule, "worse").
 *   Without labeled test items there is no evidence that it is worse, so it goes live, and the note says so.
 * The note says why, in one sentence (shown on the Models page).
 */
export function decidePromotion(input: PromotionInput): { activate: boolean; note: string | null } {
  const { policy, candidate, active } = input;
  if (!active) return { activate: true, note: null };
  if (policy === "always") return { activate: true, note: null };
  if (policy === "never")
    return {
      activate: false,
      note: `Not activated: the project's promotion setting is "never" — compare it with v${active.number} and promote it by hand.`,
    };
  if (!candidate.evaluation || !active.evaluation) {
    return {
      activate: true,
      note: `Activated without a test comparison with v${active.number}: ${candidate.evaluation ? `v${active.number} could not be measured on the test set` : "the test set has no labeled items yet"}.`,
    };
  }
  const c = comparePaired(
    input.items,
    input.classIds,
    { versionId: active.versionId, evaluation: active.evaluation },
    { versionId: candidate.versionId, evaluation: candidate.evaluation },
  );
  const [lo, hi] = c.macroF1Diff.ci95;
  const detail = `macro-F1 ${pt(c.macroF1Diff.estimate)} points vs v${active.number} (95% interval ${pt(lo)} to ${pt(hi)}) on ${c.n} test items`;
  if (c.verdict === "worse")
    return {
      activate: false,
      note: `Not activated: worse than the active v${active.number} beyond noise — ${detail}.`,
    };
  return { activate: true, note: null };
}
