import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/server/db";
import { recordDecision } from "@/server/domain/labels/record-decision";
import { AppError } from "@/server/errors";

/** Items per bulk action: one transaction of a few statements per item stays within the transaction timeout. */
export const MAX_BULK_ITEMS = 500;

export const bulkLabelInput = z.object({
  projectId: z.number().int().positive(),
  itemIds: z
    .array(z.number().int().positive())
    .min(1, "Select at least one item")
    .max(MAX_BULK_ITEMS, `Label at most ${MAX_BULK_ITEMS} items at once`),
  /** One class for binary/multi-class; one or more for multi-label. */
  classIds: z.array(z.number().int().positive()).min(1, "Choose a class").max(1000),
});
export type BulkLabelInput = z.input<typeof bulkLabelInput>;

/**
 * An admin labels a selection of items with the same class(es), through the same write path as a single label
 * (labels/record-decision.ts): all items or none, in one transaction, with one audit entry listing them and the
 * retrain check once at the end.
 */
export async function bulkLabelItems(db: Db, boss: PgBoss, rawInput: BulkLabelInput, userId: string) {
  const input = bulkLabelInput.parse(rawInput);
  const itemIds = [...new Set(input.itemIds)];
  const classIds = [...new Set(input.classIds)];
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({
      where: { id: input.projectId },
      include: { classes: { where: { archivedAt: null } } },
    });
    if (!project) throw new AppError("NOT_FOUND", `Project ${input.projectId} does not exist`);
    // Locks the items (in id order, so two overlapping bulk actions cannot deadlock) against a concurrent label.
    const locked = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM item WHERE project_id = ${project.id} AND id = ANY(${itemIds}::int[]) ORDER BY id FOR UPDATE`;
    if (locked.length !== itemIds.length) {
      const found = new Set(locked.map((r) => r.id));
      const missing = itemIds.filter((id) => !found.has(id));
      throw new AppError(
        "INVALID_INPUT",
        `Item ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? "…" : ""} is not in project ${project.id}`,
      );
    }
    const { annotations, changed, retrainQueued } = await recordDecision(tx, {
      kind: "annotate",
      boss,
      userId,
      project,
      itemIds: locked.map((r) => r.id),
      annotation: { classIds, modelVersionId: project.activeModelVersionId },
      audit: { kind: "bulk" },
    });
    return { labeled: locked.length, changed, annotationIds: annotations.map((a) => a.id), retrainQueued };
  });
}
