import { type z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { addClassExampleInput } from "@/server/domain/guidelines/guideline-input";
import { recordGuidelineRevision } from "@/server/domain/guidelines/record-guideline-revision";
import { AppError } from "@/server/errors";

/**
 * Adds an example or counter-example to a class's guidelines: an item's text (from the Items or item page) or a
 * written one. The same item twice under the same class and kind is refused, not duplicated.
 */
export async function addClassExample(db: Db, input: z.input<typeof addClassExampleInput>, actorId: string) {
  const { projectId, classId, kind, itemId, text, note } = addClassExampleInput.parse(input);
  return db.$transaction(async (tx) => {
    const labelClass = await tx.labelClass.findFirst({ where: { id: classId, projectId, archivedAt: null } });
    if (!labelClass) throw new AppError("NOT_FOUND", `Class ${classId} is not a class of project ${projectId}`);
    let exampleText = text;
    if (itemId !== undefined) {
      const item = await tx.item.findFirst({ where: { id: itemId, projectId }, select: { text: true } });
      if (!item) throw new AppError("NOT_FOUND", `Item ${itemId} is not in project ${projectId}`);
      const existing = await tx.classExample.findFirst({ where: { classId, kind, itemId } });
      if (existing)
        throw new AppError(
          "CONFLICT",
          `Item ${itemId} is already ${kind === "example" ? "an example" : "a counter-example"} of ${labelClass.name}`,
        );
      exampleText = item.text;
    }
    const example = await tx.classExample.create({
      data: { classId, kind, itemId: itemId ?? null, text: exampleText!, note, createdById: actorId },
    });
    const revision = await recordGuidelineRevision(tx, projectId, actorId);
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "guidelines.example.add",
      entityType: "label_class",
      entityId: classId,
      data: { exampleId: example.id, kind, itemId: itemId ?? null, revision },
    });
    return { example, revision };
  });
}
