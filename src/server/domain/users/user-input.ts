import { z } from "zod";

export const roles = ["admin", "annotator"] as const;

export const createUserInput = z.object({
  email: z.email("Enter a valid email address").trim().toLowerCase(),
  name: z.string().trim().min(1, "Name is required").max(100),
  password: z.string().min(8, "Password must be at least 8 characters").max(128, "Password is at most 128 characters"),
  role: z.enum(roles).default("annotator"),
});
export type CreateUserInput = z.input<typeof createUserInput>;

/** An account an admin creates; an annotator can start as a member of every current project or of the ones named. */
export const createAccountInput = createUserInput.extend({
  projects: z.union([z.literal("all"), z.array(z.number().int().positive()).max(10_000)]).default([]),
});
export type CreateAccountInput = z.input<typeof createAccountInput>;
