import type { DbOrTx } from "@/server/db";
import { AppError } from "@/server/errors";

/** A project with its live (non-archived) classes in display order. */
export async function getProject(db: DbOrTx, projectId: number) {
  const project = await db.project.findUnique({
    where: { id: projectId },
    include: { classes: { where: { archivedAt: null }, orderBy: [{ position: "asc" }, { id: "asc" }] } },
  });
  if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
  return project;
}
