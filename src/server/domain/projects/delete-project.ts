import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { getProject } from "@/server/domain/projects/get-project";
import { dropVersionPredictions } from "@/server/domain/scoring/prediction-partitions";
import { AppError } from "@/server/errors";

// The cascade removes every item, annotation and embedding reference of the project in one statement: at a million
// items that is millions of rows, far beyond the default 30 s transaction limit. Predictions have no foreign keys
// (docs/decisions/prediction-store.md): their per-version partitions are dropped instead, last, because dropping a
// partition locks the whole prediction table until the transaction ends.
const DELETE_PROJECT_TIMEOUT_MS = 30 * 60_000;

/** Deletes a project and everything in it (items, labels, versions cascade), all or nothing. */
export async function deleteProject(db: Db, projectId: number, confirmName: string, actorId: string | null) {
  return db.$transaction(
    async (tx) => {
      const project = await getProject(tx, projectId);
      if (project.name !== confirmName) {
        throw new AppError("INVALID_INPUT", `Type the project's name ("${project.name}") to confirm deletion`);
      }
      const versions = await tx.modelVersion.findMany({ where: { projectId }, select: { id: true } });
      await tx.project.delete({ where: { id: projectId } });
      await recordAudit(tx, {
        userId: actorId,
        action: "project.delete",
        entityType: "project",
        entityId: projectId,
        data: { name: project.name },
      });
      await dropVersionPredictions(
        tx,
        versions.map((v) => v.id),
      );
      return { id: projectId };
    },
    { timeout: DELETE_PROJECT_TIMEOUT_MS },
  );
}
