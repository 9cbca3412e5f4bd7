import { z } from "zod";

export const listDisagreementsInput = z
  .object({
    projectId: z.number().int().positive(),
    /** Only items where one vote names class `a` and another names class `b`. */
    classA: z.number().int().positive().optional(),
    classB: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(100).default(25),
  })
  .refine((v) => (v.classA === undefined) === (v.classB === undefined), {
    message: "Choose both classes of the pair, or neither",
    path: ["classB"],
  })
  .refine((v) => v.classA === undefined || v.classA !== v.classB, {
    message: "A class pair needs two different classes",
    path: ["classB"],
  });

export const adjudicateInput = z.object({
  projectId: z.number().int().positive(),
  itemId: z.number().int().positive(),
  classIds: z.array(z.number().int().positive()).max(1000),
  note: z.string().trim().max(1000).optional(),
});
