import type { Db } from "@/server/db";
import { toTextPredictions, type TextPrediction } from "@/server/domain/classify/to-text-predictions";
import { contentHash } from "@/server/domain/items/content-hash";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { AppError } from "@/server/errors";

export interface ProjectClassification {
  modelVersion: { id: number; number: number; featurizerId: string };
  task: "single-label" | "multi-label";
  classes: string[];
  predictions: TextPrediction[];
}

/**
 * Classifies texts with a project's active model version (or the version with the given number) through the one
 * predict path; the texts' vectors are read from the embedding cache when present and never added to it.
 */
export async function classifyWithProjectModel(db: Db, input: { projectId: number; texts: string[]; version?: number }): Promise<ProjectClassification> {
  const project = await db.project.findUnique({ where: { id: input.projectId }, select: { activeModelVersionId: true } });
  if (!project) throw new AppError("NOT_FOUND", `Project ${input.projectId} does not exist`);
  const version =
    input.version === undefined
      ? project.activeModelVersionId === null
        ? null
        : await db.modelVersion.findUnique({ where: { id: project.activeModelVersionId } })
      : await db.modelVersion.findUnique({ where: { projectId_number: { projectId: input.projectId, number: input.version } } });
  if (!version) {
    throw new AppError(
      input.version === undefined ? "PRECONDITION_FAILED" : "NOT_FOUND",
      input.version === undefined ? "The project has no active model version yet: train and promote one first" : `Model version v${input.version} does not exist in this project`,
    );
  }
  if (version.status !== "ready") throw new AppError("PRECONDITION_FAILED", `Model version v${version.number} is ${version.status}, not ready`);
  const result = await predictWithVersion(db, version, input.texts.map((text) => ({ text, contentHash: contentHash(text) })), { storeEmbeddings: false });
  return {
    modelVersion: { id: version.id, number: version.number, featurizerId: version.featurizerId },
    task: result.task,
    classes: result.classNames,
    predictions: toTextPredictions(input.texts, result.classNames, result.task, result),
  };
}
