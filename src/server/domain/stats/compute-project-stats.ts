import type { Prisma } from "@/generated/prisma/client";
import type { DbOrTx } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { statsFingerprint, type StatsFingerprint } from "@/server/domain/stats/stats-fingerprint";

export interface ProjectStats {
  items: number;
  bySplit: Record<"unassigned" | "train" | "test", number>;
  byStatus: Record<"unlabeled" | "labeled" | "skipped", number>;
  bySource: Record<"imported" | "generated" | "manual", number>;
  perClass: { classId: number; name: string; items: number }[];
  annotations: { total: number; human: number; lastAt: string | null };
  computedAt: string;
  /** The live counts these statistics were computed from (ensure-fresh-stats compares them). */
  fingerprint: StatsFingerprint;
}

/** Aggregates a project's counts with a few grouped queries (never loads items) and stores them on the project. */
export async function computeProjectStats(db: DbOrTx, projectId: number): Promise<ProjectStats> {
  const project = await getProject(db, projectId);
  // Taken first: a change landing while the counts run makes the stored fingerprint stale, so it is recomputed.
  const fingerprint = await statsFingerprint(db, projectId);
  const [bySplit, byStatus, bySource, perClass, annotationTotals, humanCount] = await Promise.all([
    db.item.groupBy({ by: ["split"], where: { projectId }, _count: { _all: true } }),
    db.item.groupBy({ by: ["labelStatus"], where: { projectId }, _count: { _all: true } }),
    db.item.groupBy({ by: ["source"], where: { projectId }, _count: { _all: true } }),
    db.$queryRaw<{ class_id: number; n: bigint }[]>`
      SELECT unnest(label_class_ids) AS class_id, count(*) AS n FROM item
      WHERE project_id = ${projectId} AND label_status = 'labeled' GROUP BY 1`,
    db.annotation.aggregate({
      where: { projectId, undoneAt: null },
      _count: { _all: true },
      _max: { createdAt: true },
    }),
    db.annotation.count({ where: { projectId, undoneAt: null, origin: "human" } }),
  ]);
  const counts = <K extends string>(
    rows: { _count: { _all: number } }[],
    key: (row: never) => K,
    keys: readonly K[],
  ) => {
    const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
    for (const row of rows) out[key(row as never)] = row._count._all;
    return out;
  };
  const perClassCount = new Map(perClass.map((row) => [Number(row.class_id), Number(row.n)]));
  const stats: ProjectStats = {
    items: bySplit.reduce((sum, row) => sum + row._count._all, 0),
    bySplit: counts(bySplit, (row: { split: "unassigned" | "train" | "test" }) => row.split, [
      "unassigned",
      "train",
      "test",
    ] as const),
    byStatus: counts(byStatus, (row: { labelStatus: "unlabeled" | "labeled" | "skipped" }) => row.labelStatus, [
      "unlabeled",
      "labeled",
      "skipped",
    ] as const),
    bySource: counts(bySource, (row: { source: "imported" | "generated" | "manual" }) => row.source, [
      "imported",
      "generated",
      "manual",
    ] as const),
    perClass: project.classes.map((c) => ({ classId: c.id, name: c.name, items: perClassCount.get(c.id) ?? 0 })),
    annotations: {
      total: annotationTotals._count._all,
      human: humanCount,
      lastAt: annotationTotals._max.createdAt?.toISOString() ?? null,
    },
    computedAt: new Date().toISOString(),
    fingerprint,
  };
  await db.project.update({
    where: { id: projectId },
    data: { stats: stats as unknown as Prisma.InputJsonValue, statsUpdatedAt: new Date() },
  });
  return stats;
}
