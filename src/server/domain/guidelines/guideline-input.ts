import { z } from "zod";

export const exampleKinds = ["example", "counter_example"] as const;

export const updateInstructionsInput = z.object({
  projectId: z.number().int().positive(),
  /** Markdown; rendered without raw HTML. */
  instructions: z.string().max(50_000, "Instructions are at most 50,000 characters"),
});

export const addClassExampleInput = z
  .object({
    projectId: z.number().int().positive(),
    classId: z.number().int().positive(),
    kind: z.enum(exampleKinds),
    /** An item of the project whose text becomes the example… */
    itemId: z.number().int().positive().optional(),
    /** …or a text written for the guidelines. */
    text: z
      .string()
      .trim()
      .min(1, "An example needs a text")
      .max(5_000, "An example is at most 5,000 characters")
      .optional(),
    note: z.string().trim().max(500, "A note is at most 500 characters").default(""),
  })
  .refine((v) => (v.itemId === undefined) !== (v.text === undefined), {
    message: "Give either an item or a text, not both",
    path: ["itemId"],
  });

export const removeClassExampleInput = z.object({
  projectId: z.number().int().positive(),
  exampleId: z.number().int().positive(),
});
export const guidelinesInput = z.object({ projectId: z.number().int().positive() });
