import { z } from "zod";
import { initialMembers } from "@/server/domain/members/member-input";

export const taskTypes = ["binary", "multiclass", "multilabel"] as const;
export const strategies = ["margin", "least_confidence", "entropy", "margin_diversity", "random"] as const;

export const projectName = z.string().trim().min(1, "Name is required").max(120, "Name is at most 120 characters");

// Fields without defaults: an update must leave out what it does not change (zod applies a default even inside
// .partial(), which would silently reset every setting the caller did not send).
const settingsFields = {
  name: projectName,
  description: z.string().trim().max(5000),
  taskType: z.enum(taskTypes),
  strategy: z.enum(strategies),
  retrainEvery: z.number().int().min(1).max(100_000),
  testShare: z.number().min(0).max(0.9),
  testMaxItems: z.number().int().min(0).max(1_000_000),
  includeGenerated: z.boolean(),
  queueMislabeledShare: z.number().min(0).max(1),
  queueRandomShare: z.number().min(0).max(1),
  annotationOverlap: z.number().int().min(1).max(20),
  leaseSeconds: z.number().int().min(30).max(86_400),
  /** Labels an annotator aims for in one sitting; null: no goal. */
  sessionGoal: z.number().int().min(1, "A goal is at least 1 label").max(100_000).nullable(),
  promotion: z.enum(["always", "when_not_worse", "never"]),
  minLabelsPerClass: z.number().int().min(1).max(1000),
  secondLookMinF1: z.number().min(0).max(1),
  /** Labeled test items wanted; null: the larger of 100 and 10 per class. */
  testTargetItems: z.number().int().min(1).max(1_000_000).nullable(),
  testBoostShare: z.number().min(0).max(1),
};

export const createProjectInput = z.object({
  name: settingsFields.name,
  description: settingsFields.description.default(""),
  taskType: settingsFields.taskType.default("multiclass"),
  /** Unset: the task's default strategy, chosen by bench/results/ml.md section 1 (see defaultStrategy). */
  strategy: settingsFields.strategy.optional(),
  retrainEvery: settingsFields.retrainEvery.default(20),
  testShare: settingsFields.testShare.default(0.2),
  testMaxItems: settingsFields.testMaxItems.default(500),
  includeGenerated: settingsFields.includeGenerated.default(true),
  queueMislabeledShare: settingsFields.queueMislabeledShare.default(0.1),
  queueRandomShare: settingsFields.queueRandomShare.default(0.1),
  annotationOverlap: settingsFields.annotationOverlap.default(1),
  leaseSeconds: settingsFields.leaseSeconds.default(600),
  promotion: settingsFields.promotion.default("when_not_worse"),
  minLabelsPerClass: settingsFields.minLabelsPerClass.default(2),
  secondLookMinF1: settingsFields.secondLookMinF1.default(0.6),
  testTargetItems: settingsFields.testTargetItems.default(null),
  testBoostShare: settingsFields.testBoostShare.default(0.3),
  featurizerId: z.string().min(1).optional(),
  /**
   * The annotators who may work on it: "all" (every current annotator) or a list of user ids. Nobody by default — the
   * create form preselects "all"; later annotators are added on the project's Settings → Members.
   */
  annotators: initialMembers.default([]),
});
export type CreateProjectInput = z.input<typeof createProjectInput>;

/** Decision thresholds that reach a precision (or recall) on the cross-validated PR curves; null: the defaults. */
export const decisionTarget = z
  .object({
    metric: z.enum(["precision", "recall"]),
    value: z.number().min(0.5, "A target below 50% is not useful").max(0.999, "A target must be below 100%"),
  })
  .nullable();

export const updateProjectInput = z
  .object(settingsFields)
  .partial()
  .extend({ featurizerId: z.string().min(1).optional(), decisionTarget: decisionTarget.optional() });
export type UpdateProjectInput = z.infer<typeof updateProjectInput>;
