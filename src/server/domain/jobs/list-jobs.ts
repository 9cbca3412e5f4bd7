import { z } from "zod";
import type { DbOrTx } from "@/server/db";

export const listJobsInput = z.object({
  projectId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export async function listJobs(db: DbOrTx, input: z.input<typeof listJobsInput>) {
  const { projectId, limit } = listJobsInput.parse(input);
  return db.jobRun.findMany({
    where: projectId ? { projectId } : {},
    orderBy: { createdAt: "desc" },
    take: limit,
    include: {
      project: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
      logs: { orderBy: { id: "desc" }, take: 1, select: { message: true, level: true, at: true } },
    },
  });
}
