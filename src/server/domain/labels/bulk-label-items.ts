import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { refreshItemLabel } from "@/server/domain/labels/effective-label";
import { historyTailId } from "@/server/domain/labels/history-tail";
import { LABEL_STATS_DELAY_SECONDS, queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { maybeQueueRetrain } from "@/server/domain/training/maybe-queue-retrain";
import { AppError } from "@/server/errors";

/** Items per bulk action: one transaction of a few statements per item stays within the transaction timeout. */
export const MAX_BULK_ITEMS = 500;

export const bulkLabelInput = z.object({
  projectId: z.number().int().positive(),
  itemIds: z.array(z.number().int().positive()).min(1, "Select at least one item").max(MAX_BULK_ITEMS, `Label at most ${MAX_BULK_ITEMS} items at once`),
  /** One class for binary/multi-class; one or more for multi-label. */
  classIds: z.array(z.number().int().positive()).min(1, "Choose a class").max(1000),
});
export type BulkLabelInput = z.input<typeof bulkLabelInput>;

/**
 * An admin labels a selection of items with the same class(es). Same append-only path as a single label: per item a
 * new human annotation supersedes the current one and the item's label fields are re-derived (its lease released);
 * all items or none, in one transaction, with one audit entry listing them and the retrain check once at the end.
 */
export async function bulkLabelItems(db: Db, boss: PgBoss, rawInput: BulkLabelInput, userId: string) {
  const input = bulkLabelInput.parse(rawInput);
  const itemIds = [...new Set(input.itemIds)];
  const classIds = [...new Set(input.classIds)];
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: input.projectId }, include: { classes: { where: { archivedAt: null } } } });
    if (!project) throw new AppError("NOT_FOUND", `Project ${input.projectId} does not exist`);
    const known = new Set(project.classes.map((c) => c.id));
    const unknown = classIds.filter((id) => !known.has(id));
    if (unknown.length) throw new AppError("INVALID_INPUT", `Class ${unknown.join(", ")} is not a class of this project`);
    if (project.taskType !== "multilabel" && classIds.length !== 1) {
      throw new AppError("INVALID_INPUT", `A ${project.taskType} project takes exactly one class per item (got ${classIds.length})`);
    }
    // Locks the items (in id order, so two overlapping bulk actions cannot deadlock) against a concurrent label.
    const locked = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM item WHERE project_id = ${project.id} AND id = ANY(${itemIds}::int[]) ORDER BY id FOR UPDATE`;
    if (locked.length !== itemIds.length) {
      const found = new Set(locked.map((r) => r.id));
      const missing = itemIds.filter((id) => !found.has(id));
      throw new AppError("INVALID_INPUT", `Item ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? "…" : ""} is not in project ${project.id}`);
    }

    const annotationIds: number[] = [];
    let changed = 0;
    for (const { id: itemId } of locked) {
      const previous = await tx.annotation.findFirst({ where: { itemId, undoneAt: null }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
      const annotation = await tx.annotation.create({
        data: { projectId: project.id, itemId, classIds, origin: "human", userId, modelVersionId: project.activeModelVersionId, supersedesId: await historyTailId(tx, itemId) },
      });
      annotationIds.push(annotation.id);
      if (!previous || previous.skipped || !sameClasses(previous.classIds, classIds)) changed++;
      await refreshItemLabel(tx, itemId);
    }
    await tx.item.updateMany({ where: { id: { in: itemIds }, leasedById: { not: null } }, data: { leasedById: null, leaseExpiresAt: null, leaseReason: null } });
    await recordAudit(tx, {
      projectId: project.id,
      userId,
      action: "label.bulk",
      entityType: "project",
      entityId: project.id,
      data: { itemIds: locked.map((r) => r.id), classIds, annotationIds, changed },
    });
    const retrain = await maybeQueueRetrain(tx, boss, project.id, userId);
    await queueStatsRefresh(tx, boss, project.id, { startAfterSeconds: LABEL_STATS_DELAY_SECONDS });
    return { labeled: locked.length, changed, annotationIds, retrainQueued: retrain !== null };
  });
}

function sameClasses(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
