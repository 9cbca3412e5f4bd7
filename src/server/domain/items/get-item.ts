import { z } from "zod";
import { rankingVersion } from "@/server/domain/scoring/ranking-version";
import type { DbOrTx } from "@/server/db";
import { decodeProbabilities } from "@/server/domain/scoring/probability-bytes";
import { AppError } from "@/server/errors";

export const getItemInput = z.object({ projectId: z.number().int().positive(), itemId: z.number().int().positive() });

/**
 * One item for its detail page: full text, metadata and provenance, its label, the active version's prediction with a
 * probability per class, and its whole label history (undone and superseded annotations included, oldest first).
 */
export async function getItem(db: DbOrTx, input: z.input<typeof getItemInput>) {
  const { projectId, itemId } = getItemInput.parse(input);
  const item = await db.item.findFirst({
    where: { id: itemId, projectId },
    include: {
      generationRun: { select: { id: true, model: true, templateVersion: true, createdAt: true } },
      leasedBy: { select: { name: true } },
      annotations: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: {
          user: { select: { id: true, name: true, email: true } },
          modelVersion: { select: { number: true } },
        },
      },
      project: { select: { activeModelVersionId: true, taskType: true } },
    },
  });
  if (!item) throw new AppError("NOT_FOUND", `Item ${itemId} is not in project ${projectId}`);
  const { project, annotations, ...rest } = item;
  return {
    ...rest,
    taskType: project.taskType,
    annotations,
    prediction: await activePrediction(
      db,
      (await rankingVersion(db, projectId, project.activeModelVersionId))?.id ?? null,
      item.id,
    ),
  };
}

async function activePrediction(db: DbOrTx, versionId: number | null, itemId: number) {
  if (!versionId) return null;
  const [prediction, version] = await Promise.all([
    db.prediction.findUnique({ where: { modelVersionId_itemId: { modelVersionId: versionId, itemId } } }),
    db.modelVersion.findUniqueOrThrow({ where: { id: versionId }, select: { number: true, kind: true, params: true } }),
  ]);
  if (!prediction) return null;
  // Probabilities are stored in the version's class order (params.classIds), one float32 per class.
  const classIds = ((version.params as { classIds?: number[] } | null)?.classIds ?? []).filter(Number.isInteger);
  const p = decodeProbabilities(prediction.probabilities);
  return {
    modelVersionId: versionId,
    versionNumber: version.number,
    kind: version.kind,
    predictedClassIds: prediction.predictedClassIds,
    confidence: prediction.confidence,
    uncertainty: prediction.uncertainty,
    mislabelScore: prediction.mislabelScore,
    probabilities: classIds
      .map((classId, k) => ({ classId, probability: p[k] ?? 0 }))
      .sort((a, b) => b.probability - a.probability),
  };
}
