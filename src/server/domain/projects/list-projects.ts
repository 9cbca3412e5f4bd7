import type { DbOrTx } from "@/server/db";
import { visibleProjectsWhere, type ProjectViewer } from "@/server/domain/projects/project-access";

/** The projects the viewer may see (all for admins, their memberships for annotators), oldest first. */
export async function listProjects(db: DbOrTx, viewer: ProjectViewer) {
  const projects = await db.project.findMany({
    where: visibleProjectsWhere(viewer),
    orderBy: { createdAt: "asc" },
    include: {
      classes: {
        where: { archivedAt: null },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: { id: true, name: true, color: true },
      },
      _count: { select: { items: true } },
    },
  });
  const labeled = await db.item.groupBy({
    by: ["projectId"],
    where: { labelStatus: "labeled", projectId: { in: projects.map((p) => p.id) } },
    _count: { _all: true },
  });
  const labeledByProject = new Map(labeled.map((row) => [row.projectId, row._count._all]));
  return projects.map(({ _count, ...project }) => ({
    ...project,
    itemCount: _count.items,
    labeledCount: labeledByProject.get(project.id) ?? 0,
  }));
}
