import { z } from "zod";
import type { DbOrTx } from "@/server/db";
import { classifyText } from "@/server/domain/classify/classify-text";
import { toTextPredictions, type TextPrediction } from "@/server/domain/classify/to-text-predictions";
import { contentHash } from "@/server/domain/items/content-hash";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { AppError } from "@/server/errors";

/** Per tRPC call (the playground); the HTTP API has its own, configurable limit (API_MAX_TEXTS_PER_REQUEST). */
export const MAX_CLASSIFY_TEXTS = 100;

const versionChoice = {
  /** A version by id (the playground's picker) … */
  modelVersionId: z.number().int().positive().optional(),
  /** … or by number (v3 → 3, the HTTP API); the active version when neither is given. */
  version: z.number().int().positive().optional(),
};
const oneVersionChoice = [
  (input: { modelVersionId?: number; version?: number }) =>
    input.modelVersionId === undefined || input.version === undefined,
  "Give a model version id or a version number, not both",
] as const;

const classifyTextsRequest = z
  .object({
    projectId: z.number().int().positive(),
    texts: z.array(classifyText).min(1, "Give at least one text"),
    ...versionChoice,
  })
  .refine(...oneVersionChoice);

/** tRPC `models.classify`: the same request, at most MAX_CLASSIFY_TEXTS texts. */
export const classifyTextsInput = z
  .object({
    projectId: z.number().int().positive(),
    texts: z
      .array(classifyText)
      .min(1, "Give at least one text")
      .max(MAX_CLASSIFY_TEXTS, `At most ${MAX_CLASSIFY_TEXTS} texts per call`),
    ...versionChoice,
  })
  .refine(...oneVersionChoice);

/** The one answer to "classify these texts" — the HTTP API's public v1 shape, which tRPC and the playground share. */
export interface Classification {
  model: { version: number; featurizer: string; task: "single-label" | "multi-label" };
  classes: string[];
  /** One per text, in request order, without the text (the caller has it). */
  predictions: Omit<TextPrediction, "data">[];
}

/**
 * Classifies free texts with a project's version (the active one unless asked otherwise) through the one predict
 * path. The texts' vectors are read from the embedding cache when present and never added to it; classes, "unsure"
 * and thresholds are exactly what decideClasses gave.
 */
export async function classifyTexts(
  db: DbOrTx,
  input: z.input<typeof classifyTextsRequest>,
  options: { llmCalls?: boolean } = {},
): Promise<Classification> {
  const { projectId, texts, modelVersionId, version: number } = classifyTextsRequest.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId }, select: { activeModelVersionId: true } });
  if (!project) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
  let version;
  if (modelVersionId !== undefined) {
    version = await db.modelVersion.findUnique({ where: { id: modelVersionId } });
    if (!version || version.projectId !== projectId)
      throw new AppError("NOT_FOUND", `Model version ${modelVersionId} is not in project ${projectId}`);
  } else if (number !== undefined) {
    version = await db.modelVersion.findUnique({ where: { projectId_number: { projectId, number } } });
    if (!version) throw new AppError("NOT_FOUND", `Model version v${number} does not exist in this project`);
  } else {
    if (project.activeModelVersionId === null)
      throw new AppError(
        "PRECONDITION_FAILED",
        "The project has no active model version yet: train and promote one first",
      );
    version = await db.modelVersion.findUniqueOrThrow({ where: { id: project.activeModelVersionId } });
  }
  // A zero-shot version answers through the chat model: every text spends the LLM budget, which only admins (and the
  // API keys they issue) may do. Annotators classify with trained versions.
  if (version.kind === "llm_zero_shot" && options.llmCalls === false) {
    throw new AppError(
      "FORBIDDEN",
      `Model version v${version.number} is a zero-shot LLM version: each text costs LLM calls, so only admins can classify with it`,
    );
  }
  if (version.status !== "ready")
    throw new AppError("PRECONDITION_FAILED", `Model version v${version.number} is ${version.status}, not ready`);
  const result = await predictWithVersion(
    db,
    version,
    texts.map((text) => ({ text, contentHash: contentHash(text) })),
    { storeEmbeddings: false },
  );
  return {
    model: { version: version.number, featurizer: version.featurizerId, task: result.task },
    classes: result.classNames,
    predictions: toTextPredictions(texts, result.classNames, result.task, result).map(({ data: _data, ...p }) => p),
  };
}
