import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import {
  requireProjectAccess,
  visibleProjectsWhere,
  type ProjectViewer,
} from "@/server/domain/projects/project-access";

export const listJobsInput = z.object({
  projectId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/**
 * Job runs, newest first: of one project, or of every project the viewer may see (annotators do not see jobs that
 * belong to no project, such as maintenance).
 */
export async function listJobs(db: DbOrTx, input: z.input<typeof listJobsInput>, viewer: ProjectViewer) {
  const { projectId, limit } = listJobsInput.parse(input);
  if (projectId !== undefined) await requireProjectAccess(db, viewer, "projectId", projectId);
  const visible = viewer.role === "admin" ? {} : { project: visibleProjectsWhere(viewer) };
  return db.jobRun.findMany({
    where: projectId ? { projectId } : visible,
    orderBy: { createdAt: "desc" },
    take: limit,
    include: {
      project: { select: { id: true, name: true } },
      createdBy: { select: { name: true } },
      logs: { orderBy: { id: "desc" }, take: 1, select: { message: true, level: true, at: true } },
    },
  });
}
