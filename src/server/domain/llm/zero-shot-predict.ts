import pLimit from "p-limit";
import type { DbOrTx } from "@/server/db";
import { getProjectLlm } from "@/server/domain/llm/get-project-llm";
import { AppError } from "@/server/errors";
import { classifyZeroShot, confidenceToProbabilities } from "@/server/llm/classify-zero-shot";
import { classifyZeroShotMultiLabel } from "@/server/llm/classify-zero-shot-multi-label";
import { createLlmClient, type LlmClient } from "@/server/llm/llm-client";
import { LlmError } from "@/server/llm/llm-error";
import { resolvePromptTemplates } from "@/server/llm/prompt-templates";

/** Texts per request: fewer requests than one per text, small enough that models keep track of the ids. */
export const ZERO_SHOT_BATCH = 10;

export interface ZeroShotOptions {
  /** Use this llm_zero_shot version's classes and model instead of the project's current ones. */
  modelVersionId?: number;
  batchSize?: number;
  /** Reuse a client (shared limiter and usage totals); one is made from the project's settings otherwise. */
  client?: LlmClient;
}

/**
 * Zero-shot probabilities for texts: Float32Array [n × K] in `classIds` order (the project's class order, or the
 * version's). Single-label: the chat model picks one class per text through structured output (an enum of the
 * class names) and states its confidence; that confidence becomes the chosen class's probability and the rest is
 * shared equally among the other classes — probabilities come from the stated confidence, not repeated sampling.
 * Multi-label: the model states an independent probability per class. Texts are sent in batches; every answer is
 * cached in PostgreSQL, so scoring the same texts again costs nothing.
 */
export async function zeroShotPredict(
  db: DbOrTx,
  projectId: number,
  texts: string[],
  options: ZeroShotOptions = {},
): Promise<{ probabilities: Float32Array; classIds: number[] }> {
  const { project, config } = await getProjectLlm(db, projectId);
  let classes = project.classes;
  let multiLabel = project.taskType === "multilabel";
  let chatModel = config.chatModel;
  if (options.modelVersionId !== undefined) {
    const version = await db.modelVersion.findUnique({ where: { id: options.modelVersionId } });
    if (!version || version.projectId !== projectId || version.kind !== "llm_zero_shot") {
      throw new AppError(
        "NOT_FOUND",
        `Model version ${options.modelVersionId} is not a zero-shot version of project ${projectId}`,
      );
    }
    const params = version.params as { classIds: number[]; multiLabel: boolean; chatModel: string };
    const all = await db.labelClass.findMany({ where: { projectId, id: { in: params.classIds } } });
    classes = params.classIds
      .map((id) => all.find((c) => c.id === id))
      .filter((c): c is (typeof all)[number] => c !== undefined);
    multiLabel = params.multiLabel;
    chatModel = params.chatModel;
  }
  if (classes.length === 0) throw new AppError("PRECONDITION_FAILED", "The project has no classes to label with");
  const classIds = classes.map((c) => c.id);
  const K = classes.length;
  const probabilities = new Float32Array(texts.length * K);
  if (texts.length === 0) return { probabilities, classIds };

  const client = options.client ?? createLlmClient(db, { ...config, chatModel });
  const { templates } = resolvePromptTemplates(project.promptTemplates);
  const described = classes.map((c) => ({ name: c.name, description: c.description }));
  const batchSize = options.batchSize ?? ZERO_SHOT_BATCH;

  const label = async (start: number, batch: string[]) => {
    if (multiLabel) {
      const rows = await classifyZeroShotMultiLabel(client, templates, described, batch);
      rows.forEach((row, i) => row.forEach((p, k) => (probabilities[(start + i) * K + k] = p)));
    } else {
      const rows = await classifyZeroShot(client, templates, described, batch);
      rows.forEach((r, i) => confidenceToProbabilities(probabilities, start + i, K, r.classIndex, r.confidence));
    }
  };
  // The client's limiter bounds requests; this only keeps the number of batches waiting on it reasonable.
  const outer = pLimit(Math.max(1, config.concurrency * 2));
  await Promise.all(
    Array.from({ length: Math.ceil(texts.length / batchSize) }, (_, b) =>
      outer(async () => {
        const start = b * batchSize;
        const batch = texts.slice(start, start + batchSize);
        try {
          await label(start, batch);
        } catch (error) {
          // A batch the model answered incompletely is asked again text by text before giving up.
          if (!(error instanceof LlmError && error.llmCode === "LLM_MALFORMED_OUTPUT") || batch.length === 1)
            throw error;
          for (let i = 0; i < batch.length; i++) await label(start + i, [batch[i]!]);
        }
      }),
    ),
  );
  return { probabilities, classIds };
}
