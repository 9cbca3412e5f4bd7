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
  // One pass over the project's items for the three breakdowns, and each query after the other rather than all at
  // once: at 1M items the three groupBys ran as parallel scans beside the other counts, taking both cores for ~0.5 s
  // every 10 s while people label (label-stats-delay.ts now paces it), and the paced loop bench's slowest queue.next calls were all
  // the ones overlapping this job (bench/results/loop.md).
  const groups = await db.$queryRaw<
    {
      split: "unassigned" | "train" | "test";
      status: "unlabeled" | "labeled" | "skipped";
      source: "imported" | "generated" | "manual";
      n: number;
    }[]
  >`SELECT split::text AS split, label_status::text AS status, source::text AS source, count(*)::int AS n
    FROM item WHERE project_id = ${projectId} GROUP BY 1, 2, 3`;
  const perClass = await db.$queryRaw<{ class_id: number; n: bigint }[]>`
      SELECT unnest(label_class_ids) AS class_id, count(*) AS n FROM item
      WHERE project_id = ${projectId} AND label_status = 'labeled' GROUP BY 1`;
  const annotationTotals = await db.annotation.aggregate({
    where: { projectId, undoneAt: null },
    _count: { _all: true },
    _max: { createdAt: true },
  });
  const humanCount = await db.annotation.count({ where: { projectId, undoneAt: null, origin: "human" } });
  const counts = <K extends string>(key: (row: (typeof groups)[number]) => K, keys: readonly K[]) => {
    const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
    for (const row of groups) out[key(row)] += row.n;
    return out;
  };
  const perClassCount = new Map(perClass.map((row) => [Number(row.class_id), Number(row.n)]));
  const stats: ProjectStats = {
    items: groups.reduce((sum, row) => sum + row.n, 0),
    bySplit: counts((row) => row.split, ["unassigned", "train", "test"] as const),
    byStatus: counts((row) => row.status, ["unlabeled", "labeled", "skipped"] as const),
    bySource: counts((row) => row.source, ["imported", "generated", "manual"] as const),
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
