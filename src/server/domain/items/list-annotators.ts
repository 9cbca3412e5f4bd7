import { z } from "zod";
import type { DbOrTx } from "@/server/db";

export const listAnnotatorsInput = z.object({ projectId: z.number().int().positive() });

/**
 * The people who have labeled in a project, for the items table's annotator filter. Probes the annotation index
 * (project_id, user_id, …) once per user: the user table is small, a project's annotations may number millions.
 */
export async function listAnnotators(db: DbOrTx, input: z.input<typeof listAnnotatorsInput>) {
  const { projectId } = listAnnotatorsInput.parse(input);
  return db.$queryRaw<{ id: string; name: string; email: string }[]>`
    SELECT u.id, u.name, u.email FROM "user" u
    WHERE EXISTS (SELECT 1 FROM annotation a WHERE a.project_id = ${projectId} AND a.user_id = u.id)
    ORDER BY u.name, u.id`;
}
