import { z } from "zod";
import type { DbOrTx } from "@/server/db";

export const listGeneratedExamplesInput = z.object({
  runId: z.number().int().positive(),
  classId: z.number().int().positive().optional(),
  /** Keyset cursor: the smallest item id of the previous page. */
  cursor: z.number().int().positive().nullish(),
  limit: z.number().int().min(1).max(100).default(20),
});

/**
 * The examples a run kept, newest first, with their current label: an admin reviews them here and corrections made
 * in the queue show up as a changed label (human labels supersede the generated one).
 */
export async function listGeneratedExamples(db: DbOrTx, input: z.input<typeof listGeneratedExamplesInput>) {
  const { runId, classId, cursor, limit } = listGeneratedExamplesInput.parse(input);
  const items = await db.item.findMany({
    where: {
      generationRunId: runId,
      ...(cursor ? { id: { lt: cursor } } : {}),
      ...(classId ? { annotations: { some: { origin: "generated", classIds: { has: classId } } } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
    select: {
      id: true,
      text: true,
      labelClassIds: true,
      labelOrigin: true,
      labelStatus: true,
      provenance: true,
      createdAt: true,
    },
  });
  return { items: items.slice(0, limit), nextCursor: items.length > limit ? items[limit - 1]!.id : null };
}
