import type { DbOrTx } from "@/server/db";

/**
 * Cheap counts that change whenever a project's statistics would: items imported or generated, every decision (a
 * correction adds a row), undos, and trainings. Stored with the statistics; when they differ from the live counts,
 * the statistics are stale. Counts rather than timestamps: rows are written by several processes whose clocks (and
 * database session time zones) need not agree.
 */
export interface StatsFingerprint {
  items: number;
  annotations: number;
  undone: number;
  versions: number;
}

export async function statsFingerprint(db: DbOrTx, projectId: number): Promise<StatsFingerprint> {
  const [row] = await db.$queryRaw<{ items: bigint; annotations: bigint; undone: bigint; versions: bigint }[]>`
    SELECT (SELECT count(*) FROM item WHERE project_id = ${projectId}) AS items,
           (SELECT count(*) FROM annotation WHERE project_id = ${projectId}) AS annotations,
           (SELECT count(*) FROM annotation WHERE project_id = ${projectId} AND undone_at IS NOT NULL) AS undone,
           (SELECT count(*) FROM model_version WHERE project_id = ${projectId}) AS versions`;
  return {
    items: Number(row?.items ?? 0),
    annotations: Number(row?.annotations ?? 0),
    undone: Number(row?.undone ?? 0),
    versions: Number(row?.versions ?? 0),
  };
}

export function sameFingerprint(a: StatsFingerprint | null | undefined, b: StatsFingerprint): boolean {
  return (
    !!a && a.items === b.items && a.annotations === b.annotations && a.undone === b.undone && a.versions === b.versions
  );
}
