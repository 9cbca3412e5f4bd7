import type { Db } from "@/server/db";
import { addItems, makeProject } from "./factories";

/**
 * An AG News project whose first `labeled` rows carry their label (imported). GloVe alone: tests about workers and
 * leases need a training that is quick and steady on a loaded machine, not the hybrid's model selection.
 */
export async function labeledProject(db: Db, rows: { text: string; label: string }[], labeled: number) {
  const { project, classes } = await makeProject(db, {
    classes: ["World", "Sports", "Business", "Sci/Tech"],
    featurizerId: "glove-sif-200@1",
  });
  const ids = await addItems(
    db,
    project.id,
    rows.map((r) => r.text),
  );
  const classId = new Map(classes.map((c) => [c.name, c.id]));
  const data = rows.slice(0, labeled).map((r, i) => ({
    projectId: project.id,
    itemId: ids[i]!,
    classIds: [classId.get(r.label)!],
    origin: "imported" as const,
  }));
  await db.annotation.createMany({ data });
  for (const id of classId.values()) {
    const itemIds = data.filter((d) => d.classIds[0] === id).map((d) => d.itemId);
    await db.item.updateMany({
      where: { id: { in: itemIds } },
      data: { labelStatus: "labeled", labelClassIds: [id], labelOrigin: "imported", labeledAt: new Date() },
    });
  }
  return project;
}
