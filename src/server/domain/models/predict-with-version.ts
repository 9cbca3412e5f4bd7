import { decideClasses } from "@/ml/decide-classes";
import type { Task } from "@/ml/linear-model";
import type { DbOrTx } from "@/server/db";
import { embedTexts } from "@/server/domain/embeddings/embed-texts";
import { zeroShotPredict } from "@/server/domain/llm/zero-shot-predict";
import { loadVersionClassifier } from "@/server/domain/models/load-version-classifier";
import { predictWithModel } from "@/server/domain/models/predict-with-model";
import { AppError } from "@/server/errors";
import { FeaturizerError } from "@/server/featurizers/featurizer";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

export interface VersionPredictions {
  task: Task;
  /** The version's classes (project class ids), in its probability order. */
  classIds: number[];
  /** Their names: the class's current name, or the name it had when the version was made if it was deleted since. */
  classNames: string[];
  /** [n × K] calibrated probabilities. */
  probabilities: Float32Array;
  /** [n] index of the most probable class. */
  top: Int32Array;
  /** [n × K] 0/1: the classes decided on (exactly one per row for single-label). */
  on: Uint8Array;
  /** Predicted class ids per text (one for single-label; any number for multi-label). */
  predicted: number[][];
  /** Single-label: 1 when the top probability is under its class threshold. */
  unsure: Uint8Array;
}

export interface VersionRef {
  id: number;
  projectId: number;
  number: number;
  kind: string;
  status?: string;
  featurizerId: string;
  artifact: unknown;
  params: unknown;
}

/**
 * The one way to run a stored version on texts — a trained classifier on its featurizer's vectors (read from the
 * embedding cache when present), or a zero-shot LLM version through the chat model (answers cached in PostgreSQL) —
 * with the one decision rule (src/ml/decide-classes.ts). `storeEmbeddings: false` for free texts (playground, HTTP
 * API), which must not grow the shared cache.
 */
export async function predictWithVersion(
  db: DbOrTx,
  version: VersionRef,
  refs: { text: string; contentHash: string }[],
  options: { storeEmbeddings?: boolean } = {},
): Promise<VersionPredictions> {
  const texts = refs.map((r) => r.text);
  if (version.kind === "llm_zero_shot") {
    const multiLabel = Boolean((version.params as { multiLabel?: boolean }).multiLabel);
    const { probabilities, classIds } = await zeroShotPredict(db, version.projectId, texts, {
      modelVersionId: version.id,
    });
    const K = classIds.length;
    const task: Task = multiLabel ? "multi-label" : "single-label";
    // Zero-shot probabilities are stated confidences: no per-class thresholds were ever fitted.
    const decisions = decideClasses(
      probabilities,
      refs.length,
      K,
      task,
      new Float32Array(K).fill(multiLabel ? 0.5 : 0),
    );
    return {
      task,
      classIds,
      classNames: await namesOf(db, classIds, classIds.map(String)),
      probabilities,
      ...withIds(decisions, classIds, refs.length),
    };
  }
  const model = loadVersionClassifier(version);
  const classIds =
    (version.params as { classIds?: number[] } | null)?.classIds ??
    (await classIdsByName(db, version.projectId, model.classes));
  let featurizer;
  try {
    featurizer = await getFeaturizer(version.featurizerId);
  } catch (error) {
    if (error instanceof FeaturizerError)
      throw new AppError(
        "UNAVAILABLE",
        `The featurizer of v${version.number} (${version.featurizerId}) is unavailable: ${error.message}`,
      );
    throw error;
  }
  if (featurizer.dim !== model.dim)
    throw new AppError(
      "PRECONDITION_FAILED",
      `Featurizer ${version.featurizerId} gives ${featurizer.dim}-d vectors; v${version.number} expects ${model.dim}`,
    );
  const predictions = await predictWithModel(model, texts, () =>
    embedTexts(db, featurizer, refs, { store: options.storeEmbeddings ?? true }),
  );
  return {
    task: model.task,
    classIds,
    classNames: await namesOf(db, classIds, model.classes),
    probabilities: predictions.proba,
    ...withIds(predictions, classIds, refs.length),
  };
}

function withIds(d: { top: Int32Array; on: Uint8Array; unsure: Uint8Array }, classIds: number[], n: number) {
  const K = classIds.length;
  const predicted = Array.from({ length: n }, (_, i) => classIds.filter((_, k) => d.on[i * K + k] === 1));
  return { top: d.top, on: d.on, predicted, unsure: d.unsure };
}

async function namesOf(db: DbOrTx, classIds: number[], fallback: string[]): Promise<string[]> {
  const rows = await db.labelClass.findMany({ where: { id: { in: classIds } }, select: { id: true, name: true } });
  const byId = new Map(rows.map((c) => [c.id, c.name]));
  return classIds.map((id, k) => byId.get(id) ?? fallback[k] ?? String(id));
}

/**
 * Versions stored without class ids (made outside a training run) name their classes: match them in the project.
 * A name that no longer exists gets a negative id, which no project class has (its stored name is still shown).
 */
async function classIdsByName(db: DbOrTx, projectId: number, names: string[]): Promise<number[]> {
  const rows = await db.labelClass.findMany({
    where: { projectId, name: { in: names } },
    select: { id: true, name: true },
  });
  const byName = new Map(rows.map((c) => [c.name, c.id]));
  return names.map((name, k) => byName.get(name) ?? -(k + 1));
}
