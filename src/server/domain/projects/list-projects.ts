import type { DbOrTx } from "@/server/db";

export async function listProjects(db: DbOrTx) {
  const projects = await db.project.findMany({
    orderBy: { createdAt: "asc" },
    include: {
      classes: { where: { archivedAt: null }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, name: true, color: true } },
      _count: { select: { items: true } },
    },
  });
  const labeled = await db.item.groupBy({ by: ["projectId"], where: { labelStatus: "labeled" }, _count: { _all: true } });
  const labeledByProject = new Map(labeled.map((row) => [row.projectId, row._count._all]));
  return projects.map(({ _count, ...project }) => ({
    ...project,
    itemCount: _count.items,
    labeledCount: labeledByProject.get(project.id) ?? 0,
  }));
}
