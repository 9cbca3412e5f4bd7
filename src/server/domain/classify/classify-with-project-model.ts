import { ArtifactError, classifierFromJSON } from "@/ml/classifier-artifact";
import type { ClassifierModel } from "@/ml/classifier-model";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { embedTexts } from "@/server/domain/classify/embed-texts";
import { featurizerFor } from "@/server/domain/classify/featurizer-for";
import { predictTexts, type TextPrediction } from "@/server/domain/classify/predict-texts";

export interface ProjectClassification {
  modelVersion: { id: number; number: number; featurizerId: string };
  task: "single-label" | "multi-label";
  classes: string[];
  predictions: TextPrediction[];
}

const globalForModels = globalThis as unknown as { marginModels?: Map<number, ClassifierModel> };

/** Model versions are immutable once ready, so a parsed artifact can be kept per version id. */
function parsedArtifact(versionId: number, artifact: unknown): ClassifierModel {
  const cache = (globalForModels.marginModels ??= new Map());
  let model = cache.get(versionId);
  if (!model) {
    try {
      model = classifierFromJSON(artifact);
    } catch (error) {
      if (error instanceof ArtifactError) throw new AppError("PRECONDITION_FAILED", `Model version ${versionId} has an unusable artifact: ${error.message}`);
      throw error;
    }
    if (cache.size > 50) cache.clear();
    cache.set(versionId, model);
  }
  return model;
}

/**
 * Classifies texts with a project's active model version (or the version with the given number): the version's
 * artifact gives the classifier, its featurizer id the vectors (reusing `embedding_cache`).
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
  if (version.status !== "ready" || !version.artifact) throw new AppError("PRECONDITION_FAILED", `Model version v${version.number} is ${version.status}, not ready`);
  const model = parsedArtifact(version.id, version.artifact);
  const featurizer = await featurizerFor(version.featurizerId);
  if (featurizer.dim !== model.dim) throw new AppError("PRECONDITION_FAILED", `Featurizer ${version.featurizerId} gives ${featurizer.dim}-d vectors; v${version.number} expects ${model.dim}`);
  const { vectors } = await embedTexts(db, featurizer, input.texts);
  return {
    modelVersion: { id: version.id, number: version.number, featurizerId: version.featurizerId },
    task: model.task,
    classes: model.classes,
    predictions: predictTexts(model, input.texts, vectors),
  };
}
