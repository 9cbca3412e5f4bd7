import { ArtifactError, classifierFromJSON } from "@/ml/classifier-artifact";
import type { ClassifierModel } from "@/ml/classifier-model";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { embedTexts } from "@/server/domain/classify/embed-texts";
import { featurizerFor } from "@/server/domain/classify/featurizer-for";
import { predictTexts, type TextPrediction } from "@/server/domain/classify/predict-texts";
import { contentHash } from "@/server/domain/items/content-hash";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";

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
  if (version.kind === "llm_zero_shot") return classifyZeroShot(db, version, input.texts);
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

/** A zero-shot LLM version answers through the chat model (cached); its probabilities are the stated confidences. */
async function classifyZeroShot(db: Db, version: Parameters<typeof predictWithVersion>[1], texts: string[]): Promise<ProjectClassification> {
  const result = await predictWithVersion(db, version, texts.map((text) => ({ text, contentHash: contentHash(text) })));
  const names = new Map((await db.labelClass.findMany({ where: { id: { in: result.classIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  const classes = result.classIds.map((id) => names.get(id) ?? String(id));
  const multiLabel = Boolean((version.params as { multiLabel?: boolean }).multiLabel);
  const K = classes.length;
  return {
    modelVersion: { id: version.id, number: version.number, featurizerId: version.featurizerId },
    task: multiLabel ? "multi-label" : "single-label",
    classes,
    predictions: texts.map((data, i) => {
      const predicted = result.predicted[i]!.map((id) => names.get(id) ?? String(id));
      const probabilities = Object.fromEntries(classes.map((name, k) => [name, Math.round(result.probabilities[i * K + k]! * 1e6) / 1e6]));
      return multiLabel ? { data, prediction: predicted, probabilities } : { data, prediction: predicted[0]!, probabilities, unsure: false };
    }),
  };
}
