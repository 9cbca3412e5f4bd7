import { z } from "zod";
import type { DbOrTx } from "@/server/db";

export const listGenerationRunsInput = z.object({
  projectId: z.number().int().positive(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Runs of a project, newest first, with their job's state and progress, usage and per-class counts. */
export async function listGenerationRuns(db: DbOrTx, input: z.input<typeof listGenerationRunsInput>) {
  const { projectId, limit } = listGenerationRunsInput.parse(input);
  const runs = await db.generationRun.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: {
      jobRun: { select: { id: true, state: true, progress: true, done: true, total: true, error: true } },
      _count: { select: { items: true } },
    },
  });
  return runs.map(({ _count, ...run }) => ({ ...run, itemCount: _count.items }));
}
