import type { DbOrTx } from "@/server/db";
import { currentEvaluations } from "@/server/domain/evaluation/current-evaluations";

interface StoredMetrics {
  crossValidated?: { n?: number; macro?: { f1?: number } } | null;
  learningCurvePoint?: { labels: number; humanLabels: number; macroF1: number | null };
}

/**
 * A project's versions, newest first, with the headline metrics of each on the CURRENT test set (current-evaluations.ts:
 * the same figures the curve, the version page and Compare show) and their intervals; artifacts stay in the database.
 */
export async function listModelVersions(db: DbOrTx, projectId: number) {
  const [project, versions, current] = await Promise.all([
    db.project.findUnique({ where: { id: projectId }, select: { activeModelVersionId: true } }),
    db.modelVersion.findMany({
      where: { projectId },
      orderBy: { number: "desc" },
      select: {
        id: true,
        number: true,
        kind: true,
        featurizerId: true,
        status: true,
        error: true,
        trainLabelCount: true,
        testLabelCount: true,
        parentId: true,
        createdAt: true,
        finishedAt: true,
        metrics: true,
        promotionNote: true,
        createdBy: { select: { name: true } },
      },
    }),
    currentEvaluations(db, projectId),
  ]);
  return versions.map(({ metrics, ...v }) => {
    const m = (metrics ?? {}) as StoredMetrics;
    const e = current.byVersion.get(v.id) ?? null;
    const cv = m.crossValidated?.macro?.f1;
    return {
      ...v,
      active: v.id === project?.activeModelVersionId,
      testMacroF1: e?.macroF1 ?? null,
      testMacroF1Ci: e?.macroF1Ci ?? null,
      testAccuracy: e?.accuracy ?? null,
      testAccuracyCi: e?.accuracyCi ?? null,
      // Single-label versions with probabilities only; null otherwise.
      testLogLoss: e?.logLoss ?? null,
      testEce: e?.ece ?? null,
      /** Labeled test items the figures rest on (the current test set) and what the project wants. */
      testItems: e?.n ?? 0,
      testTarget: current.testSet.target,
      evaluationError: current.errors.get(v.id) ?? null,
      /** Out-of-fold estimate from the training labels (shown while the test set is below target). */
      crossValidated: typeof cv === "number" ? { macroF1: cv, rows: m.crossValidated?.n ?? v.trainLabelCount } : null,
      humanLabels: m.learningCurvePoint?.humanLabels ?? null,
    };
  });
}
