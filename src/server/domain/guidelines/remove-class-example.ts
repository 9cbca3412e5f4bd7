import { type z } from "zod";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/domain/audit/record-audit";
import { removeClassExampleInput } from "@/server/domain/guidelines/guideline-input";
import { recordGuidelineRevision } from "@/server/domain/guidelines/record-guideline-revision";
import { AppError } from "@/server/errors";

/** Takes an example off a class's guidelines (earlier revisions keep it in their snapshot). */
export async function removeClassExample(db: Db, input: z.input<typeof removeClassExampleInput>, actorId: string) {
  const { projectId, exampleId } = removeClassExampleInput.parse(input);
  return db.$transaction(async (tx) => {
    const example = await tx.classExample.findFirst({ where: { id: exampleId, labelClass: { projectId } } });
    if (!example) throw new AppError("NOT_FOUND", `Example ${exampleId} is not in project ${projectId}`);
    await tx.classExample.delete({ where: { id: exampleId } });
    const revision = await recordGuidelineRevision(tx, projectId, actorId);
    await recordAudit(tx, {
      projectId,
      userId: actorId,
      action: "guidelines.example.remove",
      entityType: "label_class",
      entityId: example.classId,
      data: { exampleId, text: example.text, kind: example.kind, revision },
    });
    return { revision };
  });
}
