import type { Db } from "@/server/db";
import { sleep } from "./stats";

export type JobRow = {
  id: string;
  state: string;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
};

/** A job run's own duration (started → finished), in seconds. */
export function seconds(job: JobRow) {
  return Number((((job.finishedAt?.getTime() ?? 0) - (job.startedAt?.getTime() ?? 0)) / 1000).toFixed(2));
}

export async function jobLog(db: Db, jobRunId: string) {
  const lines = await db.jobLog.findMany({
    where: { jobRunId },
    orderBy: { id: "asc" },
    select: { message: true, at: true },
  });
  return lines.map((l) => `${l.at.toISOString().slice(11, 23)} ${l.message}`);
}

/** The latest run of a job type for the project created after `after`, once it has finished. */
export async function waitForJob(
  db: Db,
  type: string,
  projectId: number,
  after: Date,
  timeoutMs: number,
  pollMs = 100,
): Promise<JobRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.jobRun.findFirst({
      where: { type, projectId, createdAt: { gte: after } },
      orderBy: { createdAt: "desc" },
    });
    if (job && ["completed", "failed", "cancelled"].includes(job.state)) {
      if (job.state !== "completed") throw new Error(`${type} job ${job.state}: ${job.error}`);
      return job;
    }
    if (Date.now() > deadline) throw new Error(`${type} job did not finish in time (state ${job?.state ?? "none"})`);
    await sleep(pollMs);
  }
}

/**
 * Seconds the score-chunk jobs created after `after` spent waiting for reads, computing and writing, summed; the
 * chunk jobs' span (first start → last end) and summed run time; and the index + attach of the loaded predictions
 * (logged by the last chunk or by the parent score job).
 */
export async function chunkSeconds(db: Db, projectId: number, after: Date) {
  const lines = await db.jobLog.findMany({
    where: { jobRun: { type: { in: ["score-chunk", "score"] }, projectId, createdAt: { gte: after } } },
    select: { message: true },
  });
  const runs = await db.jobRun.findMany({
    where: { type: "score-chunk", projectId, createdAt: { gte: after } },
    select: { startedAt: true, finishedAt: true },
  });
  const starts = runs.map((r) => r.startedAt?.getTime() ?? Infinity);
  const ends = runs.map((r) => r.finishedAt?.getTime() ?? -Infinity);
  const sum = {
    read: 0,
    compute: 0,
    write: 0,
    chunks: 0,
    attach: 0,
    span: runs.length ? (Math.max(...ends) - Math.min(...starts)) / 1000 : 0,
    jobs: runs.reduce((s, r) => s + ((r.finishedAt?.getTime() ?? 0) - (r.startedAt?.getTime() ?? 0)) / 1000, 0),
  };
  for (const { message } of lines) {
    const a = /attached the (?:version's )?predictions in (\d+) ms/.exec(message);
    if (a) sum.attach += Number(a[1]) / 1000;
    const m = /waiting for reads (\d+) ms, computing (\d+) ms, writing (\d+) ms/.exec(message);
    if (!m) continue;
    sum.read += Number(m[1]) / 1000;
    sum.compute += Number(m[2]) / 1000;
    sum.write += Number(m[3]) / 1000;
    sum.chunks++;
  }
  return sum;
}
