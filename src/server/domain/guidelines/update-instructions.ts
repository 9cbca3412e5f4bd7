import { type z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { updateInstructionsInput } from "@/server/domain/guidelines/guideline-input";
import { recordGuidelineRevision } from "@/server/domain/guidelines/record-guideline-revision";
import { AppError } from "@/server/errors";

/** Replaces the project's instructions; a change (not a save of the same text) makes a new guideline revision. */
export async function updateInstructions(db: Db, input: z.input<typeof updateInstructionsInput>, actorId: string) {
  const { projectId, instructions } = updateInstructionsInput.parse(input);
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: projectId },
      select: { instructions: true, guidelineRevision: true },
    });
    if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    if (project.instructions === instructions) return { revision: project.guidelineRevision };
    await tx.project.update({ where: { id: projectId }, data: { instructions } });
    const revision = await recordGuidelineRevision(tx, projectId, actorId);
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "guidelines.instructions",
      entityType: "project",
      entityId: projectId,
      data: { revision, before: project.instructions, after: instructions },
    });
    return { revision };
  });
}
