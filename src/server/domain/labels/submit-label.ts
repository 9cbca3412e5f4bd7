import type PgBoss from "pg-boss";
import type { Db, Tx } from "@/server/db";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";
import { submitLabelInput, type SubmitLabelInput } from "@/server/domain/labels/label-input";
import { recordDecision } from "@/server/domain/labels/record-decision";
import { AppError } from "@/server/errors";

/**
 * Records an annotator's decision on an item — from the queue, or reopened from their history (a new decision that
 * supersedes the old one). Resolves what was decided (the classes, or the prediction accepted) and hands it to the
 * one write path (labels/record-decision.ts), in one transaction under the item's label lock.
 */
export async function submitLabel(db: Db, boss: PgBoss, input: SubmitLabelInput, userId: string) {
  const data = submitLabelInput.parse(input);
  return db.$transaction(async (tx) => {
    await lockItemForLabel(tx, data.itemId);
    const item = await tx.item.findFirst({
      where: { id: data.itemId, projectId: data.projectId },
      include: { project: { include: { classes: { where: { archivedAt: null } } } } },
    });
    if (!item) throw new AppError("NOT_FOUND", `Item ${data.itemId} is not in project ${data.projectId}`);
    const { project } = item;

    let classIds: number[] = [];
    let modelVersionId: number | null = null;
    if (data.action === "accept") {
      const accepted = await acceptedPrediction(
        tx,
        project.id,
        data.modelVersionId ?? project.activeModelVersionId,
        item.id,
      );
      classIds = accepted.classIds;
      modelVersionId = accepted.modelVersionId;
    } else if (data.action === "label") {
      classIds = [...new Set(data.classIds)];
      modelVersionId = project.activeModelVersionId;
    }
    const skip = data.action === "skip";
    const { annotations, retrainQueued } = await recordDecision(tx, {
      kind: "annotate",
      boss,
      userId,
      project,
      itemIds: [item.id],
      annotation: {
        classIds,
        skipped: skip,
        skipReason: skip ? data.reason : null,
        comment: skip && data.comment ? data.comment : null,
        modelVersionId,
        acceptedPrediction: data.action === "accept",
        durationMs: data.durationMs,
        guidelineRevision: project.guidelineRevision,
      },
      audit: { kind: "submit", action: data.action },
    });
    return { annotation: annotations[0]!, retrainQueued };
  });
}

async function acceptedPrediction(tx: Tx, projectId: number, versionId: number | null, itemId: number) {
  if (!versionId)
    throw new AppError("PRECONDITION_FAILED", "There is no model prediction to accept yet: choose a class");
  const prediction = await tx.prediction.findUnique({
    where: { modelVersionId_itemId: { modelVersionId: versionId, itemId } },
  });
  // The prediction row carries its project: a version id from another project finds nothing here.
  if (!prediction || prediction.projectId !== projectId)
    throw new AppError("PRECONDITION_FAILED", "This model has not scored this item: choose a class");
  return { classIds: prediction.predictedClassIds, modelVersionId: versionId };
}
