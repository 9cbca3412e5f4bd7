import type { DbOrTx } from "@/server/db";

// The stopping signal: when each of the last versions gained less than this in test macro-F1 per 100 labels.
const MIN_GAIN_PER_100_LABELS = 0.005;
const WINDOW = 3;

/**
 * Test macro-F1 of each version against the human labels it was trained on (the effort the curve is about; all
 * training labels when the project has no human labels yet, e.g. only imported ones), and a plain-language
 * stopping signal when the last versions' gains fall under a threshold.
 */
export async function learningCurve(db: DbOrTx, projectId: number) {
  const versions = await db.modelVersion.findMany({
    where: { projectId, status: "ready", kind: "logistic_regression" },
    orderBy: { number: "asc" },
    select: { id: true, number: true, trainLabelCount: true, metrics: true, createdAt: true },
  });
  const measured = versions
    .map((v) => {
      const m = v.metrics as { test?: { macroF1?: number; n?: number } | null; learningCurvePoint?: { humanLabels?: number } } | null;
      const humanLabels = m?.learningCurvePoint?.humanLabels ?? 0;
      return { versionId: v.id, number: v.number, trainLabels: v.trainLabelCount, humanLabels, macroF1: m?.test?.macroF1 ?? null, testItems: m?.test?.n ?? 0, createdAt: v.createdAt };
    })
    .filter((p): p is typeof p & { macroF1: number } => p.macroF1 !== null);
  const axis: "human" | "all" = measured.some((p) => p.humanLabels > 0) ? "human" : "all";
  const points = measured.map((p) => ({ ...p, labels: axis === "human" ? p.humanLabels : p.trainLabels }));
  const unit = axis === "human" ? "human labels" : "labels";
  const recent = points.slice(-(WINDOW + 1));
  let signal: { plateau: boolean; message: string } = { plateau: false, message: "Not enough versions with test metrics yet to tell whether more labels help." };
  if (recent.length === WINDOW + 1) {
    const gains = recent.slice(1).map((p, i) => {
      const prev = recent[i]!;
      const labels = Math.max(1, p.labels - prev.labels);
      return ((p.macroF1 - prev.macroF1) / labels) * 100;
    });
    const plateau = gains.every((g) => g < MIN_GAIN_PER_100_LABELS);
    const last = recent[recent.length - 1]!;
    signal = plateau
      ? { plateau, message: `More labels are unlikely to help much: the last ${WINDOW} versions gained less than ${(MIN_GAIN_PER_100_LABELS * 100).toFixed(1)} macro-F1 points per 100 ${unit} (now ${(last.macroF1 * 100).toFixed(1)}% with ${last.labels} ${unit}).` }
      : { plateau, message: `Still improving: test macro-F1 is ${(last.macroF1 * 100).toFixed(1)}% with ${last.labels} ${unit}.` };
  }
  return { axis, points, signal };
}
