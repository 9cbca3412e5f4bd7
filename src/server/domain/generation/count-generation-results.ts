import type { DbOrTx } from "@/server/db";

export interface ClassGenerationCounts {
  classId: number;
  summaries: number;
  diversified: number;
  kept: number;
  pending: number;
  /** Dropped summaries by reason kind: duplicate, near-duplicate, invalid, malformed. */
  dropped: Record<string, number>;
}

/** Per-class results of a run, derived from its summaries (the source of truth a resumed run also reads). */
export async function countGenerationResults(
  db: DbOrTx,
  runId: number,
  classIds: number[],
): Promise<ClassGenerationCounts[]> {
  const rows = await db.generationSummary.findMany({
    where: { runId },
    select: { classId: true, phase: true, itemId: true, dropped: true },
  });
  const byClass = new Map<number, ClassGenerationCounts>(
    classIds.map((classId) => [classId, { classId, summaries: 0, diversified: 0, kept: 0, pending: 0, dropped: {} }]),
  );
  for (const row of rows) {
    let c = byClass.get(row.classId);
    if (!c)
      byClass.set(
        row.classId,
        (c = { classId: row.classId, summaries: 0, diversified: 0, kept: 0, pending: 0, dropped: {} }),
      );
    if (row.phase === "diversified") c.diversified++;
    else c.summaries++;
    if (row.itemId !== null) c.kept++;
    else if (row.dropped) {
      const kind = row.dropped.split(/[ :]/)[0]!;
      c.dropped[kind] = (c.dropped[kind] ?? 0) + 1;
    } else c.pending++;
  }
  return [...byClass.values()];
}
