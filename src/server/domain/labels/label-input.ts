import { z } from "zod";

const base = z.object({
  projectId: z.number().int().positive(),
  itemId: z.number().int().positive(),
  /** Time the annotator spent on the item, for speed statistics. */
  durationMs: z.number().int().min(0).max(86_400_000).optional(),
});

export const submitLabelInput = z.discriminatedUnion("action", [
  /** Choose the classes: exactly one for binary/multi-class, any number (even none) for multi-label. */
  base.extend({ action: z.literal("label"), classIds: z.array(z.number().int().positive()).max(1000) }),
  /**
   * Take the model's prediction for the item as the label: the prediction of `modelVersionId` (the version the
   * annotator was shown — a retrain may have activated a newer one since), else of the active version.
   */
  base.extend({ action: z.literal("accept"), modelVersionId: z.number().int().positive().optional() }),
  base.extend({
    action: z.literal("skip"),
    reason: z.string().trim().min(1, "Say why you skip").max(500),
    /** The annotator's own words, optional. */
    comment: z.string().trim().max(1000, "A comment is at most 1,000 characters").optional(),
  }),
]);
export type SubmitLabelInput = z.input<typeof submitLabelInput>;
