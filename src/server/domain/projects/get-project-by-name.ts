import type { DbOrTx } from "@/server/db";
import { AppError } from "@/server/errors";
import { getProject } from "@/server/domain/projects/get-project";

/** The CLI names projects; names are unique. */
export async function getProjectByName(db: DbOrTx, name: string) {
  const found = await db.project.findUnique({ where: { name }, select: { id: true } });
  if (!found) {
    const names = (await db.project.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 20 })).map(
      (p) => `"${p.name}"`,
    );
    throw new AppError(
      "NOT_FOUND",
      `No project named "${name}"${names.length ? ` (projects: ${names.join(", ")})` : ""}`,
    );
  }
  return getProject(db, found.id);
}
