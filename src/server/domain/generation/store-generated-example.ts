import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import { contentHash } from "@/server/domain/items/content-hash";

export interface GeneratedExample {
  projectId: number;
  runId: number;
  classId: number;
  summaryId: number;
  text: string;
  provenance: Prisma.InputJsonValue;
}

/**
 * Stores one generated example as an item (source generated, train split: generated text never enters the frozen
 * test set), its annotation (origin generated) with the item's label fields, and links the summary to it — all in
 * one transaction, so a restart sees either all of it or none. Returns null when the project already has this
 * exact text (the summary is marked as a duplicate instead).
 */
export async function storeGeneratedExample(
  db: Db,
  example: GeneratedExample,
): Promise<{ itemId: number } | { duplicateOf: number | null }> {
  const hash = contentHash(example.text);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const [item] = await tx.item.createManyAndReturn({
      data: [
        {
          projectId: example.projectId,
          text: example.text,
          contentHash: hash,
          source: "generated",
          split: "train",
          labelStatus: "labeled",
          labelClassIds: [example.classId],
          labelOrigin: "generated",
          labeledAt: now,
          generationRunId: example.runId,
          provenance: example.provenance,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    if (!item) {
      const existing = await tx.item.findUnique({
        where: { projectId_contentHash: { projectId: example.projectId, contentHash: hash } },
        select: { id: true },
      });
      await tx.generationSummary.update({
        where: { id: example.summaryId },
        data: { dropped: `duplicate of item ${existing?.id ?? "?"}` },
      });
      return { duplicateOf: existing?.id ?? null };
    }
    await tx.annotation.create({
      data: {
        projectId: example.projectId,
        itemId: item.id,
        classIds: [example.classId],
        origin: "generated",
        createdAt: now,
      },
    });
    await tx.generationSummary.update({ where: { id: example.summaryId }, data: { itemId: item.id } });
    return { itemId: item.id };
  });
}
