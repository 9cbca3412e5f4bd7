import { z } from "zod";

const userId = z.string().min(1).max(100);

/** Which annotators a new project starts with: every current annotator, or the ones named. */
export const initialMembers = z.union([z.literal("all"), z.array(userId).max(10_000)]);

export const updateMembersInput = z.object({
  projectId: z.number().int().positive(),
  add: z.array(userId).max(10_000).default([]),
  remove: z.array(userId).max(10_000).default([]),
});
export type UpdateMembersInput = z.input<typeof updateMembersInput>;

export const listMembersInput = z.object({ projectId: z.number().int().positive() });
