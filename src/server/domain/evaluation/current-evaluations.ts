import type { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { evaluateOnTestSet, type StoredEvaluation } from "@/server/domain/evaluation/evaluate-on-test-set";
import { loadTestSet, type TestSet } from "@/server/domain/evaluation/test-set";
import { loadVersionClassifier } from "@/server/domain/models/load-version-classifier";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { getProject } from "@/server/domain/projects/get-project";

export interface CurrentEvaluations {
  testSet: { n: number; target: number; key: string; perClass: { classId: number; name: string; count: number }[] };
  /** The labeled test items themselves (paired comparisons need their labels) and the live class ids. */
  items: TestSet["items"];
  classIds: number[];
  /** Ready versions' metrics on the current test set (null: no labeled test item yet, or the version could not predict). */
  byVersion: Map<number, StoredEvaluation | null>;
  /** Why a version has no current metrics (its featurizer or the LLM is unavailable). */
  errors: Map<number, string>;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  ) as Prisma.InputJsonValue;
}

/**
 * Every ready version measured on the project's current labeled test set — the one source of the figures the
 * Models table, the learning curve, a version's page, Compare, the promotion rule and the stopping signal show, so
 * they agree. A version is scored on the test items once per state of the test set (model_evaluation keeps every
 * state, i.e. the history); only versions without a row for the current state predict again.
 */
export async function currentEvaluations(
  db: DbOrTx,
  projectId: number,
  options: { versionIds?: number[] } = {},
): Promise<CurrentEvaluations> {
  const project = await getProject(db, projectId);
  const testSet = await loadTestSet(
    db,
    project,
    project.classes.map((c) => c.id),
  );
  const versions = await db.modelVersion.findMany({
    where: { projectId, status: "ready", ...(options.versionIds ? { id: { in: options.versionIds } } : {}) },
    select: { id: true },
  });
  const byVersion = new Map<number, StoredEvaluation | null>();
  const errors = new Map<number, string>();
  const counts = new Map<number, number>();
  for (const item of testSet.items) for (const id of item.classIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const summary = {
    n: testSet.items.length,
    target: testSet.target,
    key: testSet.key,
    perClass: project.classes.map((c) => ({ classId: c.id, name: c.name, count: counts.get(c.id) ?? 0 })),
  };
  if (testSet.items.length === 0) {
    for (const v of versions) byVersion.set(v.id, null);
    return { testSet: summary, items: testSet.items, classIds: project.classes.map((c) => c.id), byVersion, errors };
  }
  const stored = await db.modelEvaluation.findMany({
    where: { modelVersionId: { in: versions.map((v) => v.id) }, testSetKey: testSet.key },
  });
  for (const row of stored) byVersion.set(row.modelVersionId, row.metrics as unknown as StoredEvaluation);
  const missing = versions.filter((v) => !byVersion.has(v.id));
  for (const { id } of missing) {
    const version = await db.modelVersion.findUniqueOrThrow({ where: { id } });
    try {
      const evaluation = await evaluateVersion(db, version, testSet);
      byVersion.set(id, evaluation);
      if (evaluation) {
        await storeEvaluation(db, id, evaluation);
      }
    } catch (error) {
      byVersion.set(id, null);
      errors.set(id, error instanceof Error ? error.message : String(error));
    }
  }
  return { testSet: summary, items: testSet.items, classIds: project.classes.map((c) => c.id), byVersion, errors };
}

/** One stored version on a test set, through the one predict path (predict-with-version.ts). */
export async function evaluateVersion(
  db: DbOrTx,
  version: {
    id: number;
    projectId: number;
    number: number;
    kind: string;
    status: string;
    featurizerId: string;
    artifact: unknown;
    params: unknown;
  },
  testSet: TestSet,
): Promise<StoredEvaluation | null> {
  if (testSet.items.length === 0) return null;
  const predictions = await predictWithVersion(db, version, testSet.items, { storeEmbeddings: true });
  const K = predictions.classIds.length;
  // Zero-shot versions decide with arg-max / 0.5, as predictWithVersion does.
  const thresholds =
    version.kind === "logistic_regression"
      ? loadVersionClassifier(version).thresholds
      : new Float32Array(K).fill(predictions.task === "multi-label" ? 0.5 : 0);
  return evaluateOnTestSet(
    {
      task: predictions.task,
      classIds: predictions.classIds,
      classNames: predictions.classNames,
      probabilities: predictions.probabilities,
      thresholds,
    },
    testSet,
  );
}

/**
 * One version's evaluation on a given state of the test set (stored, or computed and stored now): training uses it
 * to measure the active version on exactly the items the new one was measured on.
 */
export async function evaluationFor(db: DbOrTx, versionId: number, testSet: TestSet): Promise<StoredEvaluation | null> {
  if (testSet.items.length === 0) return null;
  const row = await db.modelEvaluation.findUnique({
    where: { modelVersionId_testSetKey: { modelVersionId: versionId, testSetKey: testSet.key } },
  });
  if (row) return row.metrics as unknown as StoredEvaluation;
  const version = await db.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
  const evaluation = await evaluateVersion(db, version, testSet);
  if (evaluation) await storeEvaluation(db, versionId, evaluation);
  return evaluation;
}

export async function storeEvaluation(db: DbOrTx, versionId: number, evaluation: StoredEvaluation) {
  await db.modelEvaluation.createMany({
    data: [
      { modelVersionId: versionId, testSetKey: evaluation.testSetKey, n: evaluation.n, metrics: toJson(evaluation) },
    ],
    skipDuplicates: true,
  });
}
