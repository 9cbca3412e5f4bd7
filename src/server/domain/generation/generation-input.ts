import { z } from "zod";
import { generationOptionsSchema } from "@/server/schemas/generation-options";

export const startGenerationInput = generationOptionsSchema.extend({
  projectId: z.number().int().positive(),
  /** Default: every live class of the project. */
  classIds: z.array(z.number().int().positive()).min(1).max(200).optional(),
});
export type StartGenerationInput = z.input<typeof startGenerationInput>;
