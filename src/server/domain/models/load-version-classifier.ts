import { ArtifactError, classifierFromJSON } from "@/ml/classifier-artifact";
import type { ClassifierModel } from "@/ml/classifier-model";
import { AppError } from "@/server/errors";

// Model versions are immutable once ready, so a parsed artifact can be kept per version id (on globalThis so Next's
// dev server keeps one copy). A bounded cache: parsing is cheap next to loading a featurizer.
const globalForModels = globalThis as unknown as { marginModels?: Map<number, ClassifierModel> };
const MAX_CACHED = 50;

/** The classifier stored with a trained version; an artifact this build cannot read is a clear PRECONDITION_FAILED. */
export function loadVersionClassifier(version: {
  id: number;
  number: number;
  kind: string;
  status?: string;
  artifact: unknown;
}): ClassifierModel {
  if (version.kind !== "logistic_regression" || !version.artifact)
    throw new AppError("PRECONDITION_FAILED", `Model version v${version.number} is not a trained classifier`);
  if (version.status !== undefined && version.status !== "ready")
    throw new AppError("PRECONDITION_FAILED", `Model version v${version.number} is ${version.status}, not ready`);
  const cache = (globalForModels.marginModels ??= new Map());
  let model = cache.get(version.id);
  if (!model) {
    try {
      model = classifierFromJSON(version.artifact);
    } catch (error) {
      if (error instanceof ArtifactError)
        throw new AppError(
          "PRECONDITION_FAILED",
          `Model version v${version.number} has an unusable artifact: ${error.message}`,
        );
      throw error;
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(version.id, model);
  }
  return model;
}
