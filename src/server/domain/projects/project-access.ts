import type { DbOrTx } from "@/server/db";
import type { Prisma } from "@/generated/prisma/client";
import { AppError } from "@/server/errors";

/** Who asks: admins see every project, annotators only those they are members of (project_member). */
export interface ProjectViewer {
  id: string;
  role: "admin" | "annotator";
}

/**
 * How a call names its project: directly, or through a record that belongs to exactly one project. tRPC's
 * `projectProcedure` resolves its input's reference with this table, so every project-scoped procedure is checked by
 * the same code.
 */
const references = {
  projectId: { what: "Project", projectOf: async (_db: DbOrTx, id: number) => id },
  modelVersionId: {
    what: "Model version",
    projectOf: async (db: DbOrTx, id: number) =>
      (await db.modelVersion.findUnique({ where: { id }, select: { projectId: true } }))?.projectId,
  },
  runId: {
    what: "Generation run",
    projectOf: async (db: DbOrTx, id: number) =>
      (await db.generationRun.findUnique({ where: { id }, select: { projectId: true } }))?.projectId,
  },
  jobId: {
    what: "Job",
    projectOf: async (db: DbOrTx, id: string) =>
      (await db.jobRun.findUnique({ where: { id }, select: { projectId: true } }))?.projectId ?? undefined,
  },
} as const;
export type ProjectReference = keyof typeof references;

/**
 * The one access rule of Margin's project-scoped calls: admins reach every project (a missing one is then the domain
 * function's NOT_FOUND); annotators reach the projects they are members of. Anything else answers NOT_FOUND with the
 * message a missing record gets, so an annotator cannot probe which ids exist in other projects.
 */
export async function requireProjectAccess(
  db: DbOrTx,
  viewer: ProjectViewer,
  reference: ProjectReference,
  id: number | string,
): Promise<void> {
  if (viewer.role === "admin") return;
  const { what, projectOf } = references[reference];
  const projectId = await (projectOf as (db: DbOrTx, id: number | string) => Promise<number | undefined>)(db, id);
  if (projectId !== undefined && (await db.projectMember.count({ where: { projectId, userId: viewer.id } })) > 0)
    return;
  throw new AppError("NOT_FOUND", `${what} ${id} does not exist`);
}

/** The same rule as a Prisma filter on projects, for lists (projects, jobs of every project). */
export function visibleProjectsWhere(viewer: ProjectViewer): Prisma.ProjectWhereInput {
  return viewer.role === "admin" ? {} : { members: { some: { userId: viewer.id } } };
}
