import { z } from "zod";

// A leaf (zod only): the generate job's payload carries these options, and server/jobs imports no domain file.

/** What an admin chooses when starting a run; everything else comes from the project (classes, LLM, templates). */
export const generationOptionsSchema = z.object({
  targetPerClass: z
    .number()
    .int()
    .min(1, "Generate at least one example per class")
    .max(5000, "At most 5,000 examples per class per run"),
  seed: z.number().int().min(0).max(2_147_483_647).default(1),
  /** Existing examples of the class shown in each summaries prompt (Lamini's max_history). */
  maxHistory: z.number().int().min(0).max(20).default(2),
  /** Summaries asked for per phase-1 / phase-2 call. */
  summariesPerCall: z.number().int().min(1).max(20).default(5),
  /** Cosine similarity on the project's featurizer at or above which a new example counts as a near-duplicate. */
  nearDuplicateThreshold: z.number().min(0.5).max(1).default(0.95),
});
export type GenerationOptions = z.infer<typeof generationOptionsSchema>;
