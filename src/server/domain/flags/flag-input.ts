import { z } from "zod";

export const flagItemInput = z.object({
  projectId: z.number().int().positive(),
  itemId: z.number().int().positive(),
  comment: z
    .string()
    .trim()
    .min(1, "Say what an admin should look at")
    .max(1000, "A comment is at most 1,000 characters"),
});

export const resolveFlagInput = z.object({
  projectId: z.number().int().positive(),
  flagId: z.number().int().positive(),
  resolution: z.string().trim().max(1000, "A resolution note is at most 1,000 characters").default(""),
});

export const itemFlagsInput = z.object({ projectId: z.number().int().positive(), itemId: z.number().int().positive() });
