import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Db } from "@/server/db";
import { summarize } from "./stats";

/** One queue.next call as the client saw it: wall-clock start (ms since epoch) and duration (ms). */
export interface TimedCall {
  at: number;
  ms: number;
}

/**
 * Watches this process's event loop while a section runs (the API server, the 20 clients and the in-process worker
 * share it): a blocked loop delays every reply at once.
 */
export function eventLoopWatch() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return {
        p50Ms: Number((histogram.percentile(50) / 1e6).toFixed(1)),
        p99Ms: Number((histogram.percentile(99) / 1e6).toFixed(1)),
        maxMs: Number((histogram.max / 1e6).toFixed(1)),
      };
    },
  };
}

/**
 * What the slow calls overlapped: for every job type that ran during the section, queue.next's latency summary over
 * the calls that overlapped one of its runs against the calls that overlapped no job at all. A tail made by
 * background work shows as a slow "overlapping" group and a fast "no job" group.
 */
export async function tailAttribution(db: Db, projectId: number, calls: TimedCall[]) {
  if (calls.length === 0) return {};
  const from = new Date(Math.min(...calls.map((c) => c.at)));
  const to = new Date(Math.max(...calls.map((c) => c.at + c.ms)));
  const runs = await db.jobRun.findMany({
    where: { projectId, startedAt: { lte: to }, OR: [{ finishedAt: null }, { finishedAt: { gte: from } }] },
    select: { type: true, startedAt: true, finishedAt: true },
  });
  const spans = runs.map((r) => ({
    type: r.type,
    lo: r.startedAt!.getTime(),
    hi: r.finishedAt?.getTime() ?? to.getTime(),
  }));
  const overlaps = (c: TimedCall, s: { lo: number; hi: number }) => c.at < s.hi && c.at + c.ms > s.lo;
  const out: Record<string, unknown> = {
    noJob: summarize(calls.filter((c) => !spans.some((s) => overlaps(c, s))).map((c) => c.ms)),
  };
  for (const type of new Set(spans.map((s) => s.type))) {
    const mine = spans.filter((s) => s.type === type);
    out[type] = {
      runs: mine.length,
      runSeconds: Number((mine.reduce((sum, s) => sum + s.hi - s.lo, 0) / 1000).toFixed(2)),
      calls: summarize(calls.filter((c) => mine.some((s) => overlaps(c, s))).map((c) => c.ms)),
    };
  }
  // The slowest calls, with the job types running during each.
  out.slowest = [...calls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)
    .map((c) => ({
      ms: Math.round(c.ms),
      jobs: [...new Set(spans.filter((s) => overlaps(c, s)).map((s) => s.type))],
    }));
  return out;
}
