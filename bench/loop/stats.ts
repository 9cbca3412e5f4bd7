import os from "node:os";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
  };
}

/** Samples this process's RSS every `everyMs` until stopped: the peak of a phase, not of the whole process. */
export function rssSampler(everyMs = 50) {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { startMB: Math.round(start / 2 ** 20), peakMB: Math.round(peak / 2 ** 20) };
    },
  };
}

export function load() {
  return os.loadavg().map((l) => Number(l.toFixed(1)));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
