import type { DbOrTx } from "@/server/db";

// How long a project's count of unlabeled items is reused. Counting a million-item pool scans ~1M index entries
// (~0.1 s of a core), and every count competes with the annotators' own queries for the same two cores: at 5 s it
// showed up in queue.next's p95 at 1M items. The figure is informational (the annotate page also counts down
// locally after each decision), so a minute of staleness costs nothing.
const FRESH_MS = 60_000;

// Per database client (tests and tools may hold several), per project.
const countsByDb = new WeakMap<object, Map<number, { at: number; value: Promise<number> }>>();

/**
 * The project's number of unlabeled items as of at most a few seconds ago: one count per project and process every
 * FRESH_MS, shared by concurrent callers (a stale value is served while the next count runs).
 */
export function remainingCount(db: DbOrTx, projectId: number): Promise<number> {
  let counts = countsByDb.get(db);
  if (!counts) countsByDb.set(db, (counts = new Map()));
  const now = Date.now();
  const cached = counts.get(projectId);
  if (cached && now - cached.at < FRESH_MS) return cached.value;
  const value = db.item.count({ where: { projectId, labelStatus: "unlabeled" } });
  value.catch(() => counts.delete(projectId));
  if (cached) {
    // Serve the previous count while this one runs, then switch over.
    counts.set(projectId, { at: now, value: cached.value });
    void value.then((v) => counts.set(projectId, { at: Date.now(), value: Promise.resolve(v) })).catch(() => undefined);
    return cached.value;
  }
  counts.set(projectId, { at: now, value });
  return value;
}
