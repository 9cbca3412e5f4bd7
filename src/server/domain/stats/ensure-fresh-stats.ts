import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Db } from "@/server/db";
import { queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { sameFingerprint, statsFingerprint, type StatsFingerprint } from "@/server/domain/stats/stats-fingerprint";
import { AppError } from "@/server/errors";

export const ensureFreshStatsInput = z.object({ projectId: z.number().int().positive() });

/**
 * Keeps the Overview's statistics current without anyone pressing Refresh: when imports, labels, undos or trainings
 * have changed the project since the statistics were computed, one stats job is queued — unless one is already
 * queued or running, which absorbs every change made before it starts (queue-stats-refresh.ts: at most one waiting
 * job per project however fast labels arrive). Imports, labels and trainings also queue it themselves, so the
 * statistics are current when nobody has an Overview open.
 */
export async function ensureFreshStats(db: Db, boss: PgBoss, input: z.input<typeof ensureFreshStatsInput>) {
  const { projectId } = ensureFreshStatsInput.parse(input);
  return db.$transaction(async (tx) => {
    // queueStatsRefresh serializes callers (two open Overviews queue one job, not two).
    const [locked] = await tx.$queryRaw<
      { stats: { fingerprint?: StatsFingerprint; computedAt?: string } | null }[]
    >`SELECT stats FROM project WHERE id = ${projectId}`;
    if (!locked) throw new AppError("NOT_FOUND", `Project ${projectId} does not exist`);
    // computedAt lets a page that shows older statistics reload them: a quick job can start and finish between two
    // of its polls, so it never sees one pending.
    if (sameFingerprint(locked.stats?.fingerprint, await statsFingerprint(tx, projectId)))
      return { state: "fresh" as const, computedAt: locked.stats?.computedAt ?? null };
    return queueStatsRefresh(tx, boss, projectId, { runningAbsorbs: true });
  });
}
