import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { classifyText } from "@/server/domain/classify/classify-text";
import { contentHash } from "@/server/domain/items/content-hash";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { getProject } from "@/server/domain/projects/get-project";
import { AppError } from "@/server/errors";

export const MAX_CLASSIFY_TEXTS = 100;

export const classifyTextsInput = z.object({
  projectId: z.number().int().positive(),
  /** A specific version; the active one when omitted. */
  modelVersionId: z.number().int().positive().optional(),
  texts: z.array(classifyText).min(1, "Give at least one text").max(MAX_CLASSIFY_TEXTS, `At most ${MAX_CLASSIFY_TEXTS} texts per call`),
});

/** Classifies free texts with a version (the playground) through the one predict path; probabilities per class by name. */
export async function classifyTexts(db: DbOrTx, input: z.input<typeof classifyTextsInput>) {
  const { projectId, modelVersionId, texts } = classifyTextsInput.parse(input);
  const project = await getProject(db, projectId);
  const versionId = modelVersionId ?? project.activeModelVersionId;
  if (!versionId) throw new AppError("PRECONDITION_FAILED", "This project has no active model yet: label some items and train");
  const version = await db.modelVersion.findUnique({ where: { id: versionId } });
  if (!version || version.projectId !== projectId) throw new AppError("NOT_FOUND", `Model version ${versionId} is not in project ${projectId}`);
  const result = await predictWithVersion(db, version, texts.map((text) => ({ text, contentHash: contentHash(text) })), { storeEmbeddings: false });
  const K = result.classIds.length;
  const nameOf = new Map(result.classIds.map((id, k) => [id, result.classNames[k]!]));
  return {
    modelVersion: { id: version.id, number: version.number },
    results: texts.map((text, i) => ({
      data: text,
      prediction: result.predicted[i]!.map((id) => nameOf.get(id)!),
      unsure: result.unsure[i] === 1,
      probabilities: Object.fromEntries(result.classNames.map((name, k) => [name, result.probabilities[i * K + k]!])),
    })),
  };
}
