import type { Tx } from "@/server/db";
import { getGuidelines } from "@/server/domain/guidelines/get-guidelines";

/**
 * Call after changing any part of a project's guidelines, inside the same transaction: bumps the project's revision
 * and stores what the guidelines now say, so an annotation's recorded revision can be read back. The project row is
 * locked by the update, so two concurrent edits get consecutive revisions.
 */
export async function recordGuidelineRevision(tx: Tx, projectId: number, actorId: string | null): Promise<number> {
  const { guidelineRevision: revision } = await tx.project.update({
    where: { id: projectId },
    data: { guidelineRevision: { increment: 1 } },
    select: { guidelineRevision: true },
  });
  const now = await getGuidelines(tx, { projectId });
  await tx.guidelineRevision.create({
    data: { projectId, revision, instructions: now.instructions, classes: now.classes, createdById: actorId },
  });
  return revision;
}
