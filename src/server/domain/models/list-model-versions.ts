import type { DbOrTx } from "@/server/db";

interface StoredMetrics {
  test?: { n: number; macroF1: number; accuracy?: number; subsetAccuracy?: number; logLoss?: number | null; ece?: number | null } | null;
  learningCurvePoint?: { labels: number; humanLabels: number; macroF1: number | null };
}

/** A project's versions, newest first, with the headline test metrics (artifacts stay in the database). */
export async function listModelVersions(db: DbOrTx, projectId: number) {
  const [project, versions] = await Promise.all([
    db.project.findUnique({ where: { id: projectId }, select: { activeModelVersionId: true } }),
    db.modelVersion.findMany({
      where: { projectId },
      orderBy: { number: "desc" },
      select: { id: true, number: true, kind: true, featurizerId: true, status: true, error: true, trainLabelCount: true, testLabelCount: true, parentId: true, createdAt: true, finishedAt: true, metrics: true, createdBy: { select: { name: true } } },
    }),
  ]);
  return versions.map(({ metrics, ...v }) => {
    const m = (metrics ?? {}) as StoredMetrics;
    return {
      ...v,
      active: v.id === project?.activeModelVersionId,
      testMacroF1: m.test?.macroF1 ?? null,
      testAccuracy: m.test?.accuracy ?? m.test?.subsetAccuracy ?? null,
      // Single-label versions with probabilities only; null otherwise.
      testLogLoss: m.test?.logLoss ?? null,
      testEce: m.test?.ece ?? null,
      testItems: m.test?.n ?? 0,
      humanLabels: m.learningCurvePoint?.humanLabels ?? null,
    };
  });
}
