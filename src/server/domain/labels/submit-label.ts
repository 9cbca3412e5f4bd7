import type PgBoss from "pg-boss";
import type { Db, Tx } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { refreshItemLabel } from "@/server/domain/labels/effective-label";
import { historyTailId } from "@/server/domain/labels/history-tail";
import { lockItemForLabel } from "@/server/domain/labels/lock-item";
import { submitLabelInput, type SubmitLabelInput } from "@/server/domain/labels/label-input";
import { LABEL_STATS_DELAY_SECONDS, queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { maybeQueueRetrain } from "@/server/domain/training/maybe-queue-retrain";
import { AppError } from "@/server/errors";

/**
 * Records an annotator's decision on an item. History is append-only: a new annotation supersedes the item's
 * current one, the item's label fields are re-derived, its lease is released, and every N human labels a retrain
 * is queued, and a (debounced) statistics refresh — all in one transaction.
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
      const accepted = await acceptedPrediction(tx, project.id, data.modelVersionId ?? project.activeModelVersionId, item.id);
      classIds = accepted.classIds;
      modelVersionId = accepted.modelVersionId;
    } else if (data.action === "label") {
      classIds = [...new Set(data.classIds)];
      modelVersionId = project.activeModelVersionId;
    }
    if (data.action !== "skip") {
      const known = new Set(project.classes.map((c) => c.id));
      const unknown = classIds.filter((id) => !known.has(id));
      if (unknown.length) throw new AppError("INVALID_INPUT", `Class ${unknown.join(", ")} is not a class of this project`);
      if (project.taskType !== "multilabel" && classIds.length !== 1) {
        throw new AppError("INVALID_INPUT", `A ${project.taskType} project takes exactly one class per item (got ${classIds.length})`);
      }
    }

    const previous = await tx.annotation.findFirst({ where: { itemId: item.id, undoneAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const supersedesId = await historyTailId(tx, item.id);
    const annotation = await tx.annotation.create({
      data: {
        projectId: project.id,
        itemId: item.id,
        classIds,
        skipped: data.action === "skip",
        skipReason: data.action === "skip" ? data.reason : null,
        comment: data.action === "skip" && data.comment ? data.comment : null,
        origin: "human",
        userId,
        modelVersionId,
        acceptedPrediction: data.action === "accept",
        durationMs: data.durationMs,
        guidelineRevision: project.guidelineRevision,
        supersedesId,
      },
    });
    await refreshItemLabel(tx, item.id);
    await tx.item.update({ where: { id: item.id }, data: { leasedById: null, leaseExpiresAt: null, leaseReason: null } });
    await recordAudit(tx, {
      projectId: project.id,
      userId,
      action: previous ? "label.correct" : "label.create",
      entityType: "item",
      entityId: item.id,
      data: { annotationId: annotation.id, action: data.action, classIds, previousClassIds: previous?.classIds ?? null },
    });
    const retrain = data.action === "skip" ? null : await maybeQueueRetrain(tx, boss, project.id, userId);
    await queueStatsRefresh(tx, boss, project.id, { startAfterSeconds: LABEL_STATS_DELAY_SECONDS });
    return { annotation, retrainQueued: retrain !== null };
  });
}

async function acceptedPrediction(tx: Tx, projectId: number, versionId: number | null, itemId: number) {
  if (!versionId) throw new AppError("PRECONDITION_FAILED", "There is no model prediction to accept yet: choose a class");
  const prediction = await tx.prediction.findUnique({ where: { modelVersionId_itemId: { modelVersionId: versionId, itemId } } });
  // The prediction row carries its project: a version id from another project finds nothing here.
  if (!prediction || prediction.projectId !== projectId) throw new AppError("PRECONDITION_FAILED", "This model has not scored this item: choose a class");
  return { classIds: prediction.predictedClassIds, modelVersionId: versionId };
}
