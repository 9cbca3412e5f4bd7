import type PgBoss from "pg-boss";
import os from "node:os";
import { env } from "@/env";
import { enableGloveEncodeThreads } from "@/server/compute/glove-encode-threads";
import type { Db } from "@/server/db";
import { deleteStaleUploads } from "@/server/domain/imports/delete-stale-uploads";
import { removeOrphanBlockFiles } from "@/server/domain/embeddings/remove-orphan-block-files";
import { createBoss, startBossWithQueues } from "@/server/jobs/boss";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";
import { createRetryingBossDb } from "@/server/jobs/retrying-boss-db";
import { listenForQueuedJobs } from "@/server/jobs/job-wake";
import type { JobDefinition, JobPayload } from "@/server/jobs/define-job";
import {
  embedJob,
  generateJob,
  importJob,
  projectStatsJob,
  scoreChunkJob,
  scoreJob,
  trainJob,
} from "@/server/jobs/job-definitions";
import { handleEmbed } from "@/worker/handlers/embed";
import { handleGenerate } from "@/worker/handlers/generate";
import { handleImport } from "@/worker/handlers/import";
import { handleProjectStats } from "@/worker/handlers/project-stats";
import { handleScore } from "@/worker/handlers/score";
import { handleScoreChunk } from "@/worker/handlers/score-chunk";
import { handleTrain } from "@/worker/handlers/train";
import { wakeScoreParent } from "@/server/domain/scoring/wake-score-parent";
import { redactedError, redactedMessage } from "@/server/redact-secrets";
import { runJob, type JobHandler } from "@/worker/run-job";
import { scheduleJobRunSweep } from "@/worker/schedule-job-run-sweep";

function route<J extends JobDefinition>(
  definition: J,
  handler: JobHandler<J>,
  afterCompleted?: (payload: JobPayload<J>, worker: { db: Db; boss: PgBoss }) => Promise<unknown>,
) {
  return { definition, handler, afterCompleted };
}

const routes = [
  route(projectStatsJob, handleProjectStats),
  route(trainJob, handleTrain),
  route(scoreJob, handleScore),
  route(scoreChunkJob, handleScoreChunk, ({ parentJobRunId }, { db, boss }) =>
    wakeScoreParent(db, boss, parentJobRunId),
  ),
  route(embedJob, handleEmbed),
  route(importJob, handleImport),
  route(generateJob, handleGenerate),
];

const MAINTENANCE_QUEUE = "maintenance";

export interface RunningWorker {
  boss: PgBoss;
  stop(): Promise<void>;
}

/** Starts pg-boss workers for every job; several of these (processes or machines) can share one database. */
export async function startWorker(options: {
  db: Db;
  connectionString: string;
  concurrency: number;
  pollingSeconds: number;
  /** How often this worker sweeps for runs whose worker died or that pg-boss gave up on (default JOB_SWEEP_SECONDS). */
  sweepSeconds?: number;
  /** How often a running job renews its heartbeat (default JOB_HEARTBEAT_SECONDS). */
  heartbeatSeconds?: number;
  /** A run whose heartbeat is older than this has lost its worker and is retried (default JOB_STALE_SECONDS). */
  staleSeconds?: number;
  log?: (line: string) => void;
}): Promise<RunningWorker> {
  const log = options.log ?? ((line) => console.log(line));
  const e = env();
  // The embed job encodes thousands of texts per vector block: GloVe shares each block with helper threads.
  enableGloveEncodeThreads(Math.min(4, os.availableParallelism()));
  const liveness = {
    heartbeatSeconds: options.heartbeatSeconds ?? e.JOB_HEARTBEAT_SECONDS,
    staleSeconds: options.staleSeconds ?? e.JOB_STALE_SECONDS,
  };
  const bossDb = createRetryingBossDb(options.connectionString, {
    max: 6,
    applicationName: "margin-worker",
    log: (line) => log(`[worker] ${line}`),
  });
  const boss = createBoss(options.connectionString, { worker: true, db: bossDb });
  let lastShutdownNotice = 0;
  // pg-boss reports errors of its polling loops, maintenance and cron here; none of them may stop the process.
  boss.on("error", (error) => {
    // An outage fails many loops at once (the retrying connection covers most; a statement cut mid-flight still
    // lands here): say it once, not once per loop.
    if (isDatabaseUnavailable(error)) {
      if (Date.now() - lastShutdownNotice > 10_000)
        log("[worker] the database is unavailable (stopping, restarting or unreachable); waiting for it");
      lastShutdownNotice = Date.now();
      return;
    }
    log(`[worker] pg-boss error: ${redactedMessage(error)}`);
  });
  try {
    await startBossWithQueues(boss, options.connectionString, {
      extra: [{ name: MAINTENANCE_QUEUE, retryLimit: 1, expireInSeconds: 600 }],
      log: (line) => log(`[worker] ${line}`),
    });
  } catch (error) {
    await bossDb.close();
    throw error;
  }
  // Before taking new jobs, end the runs that a previous worker left running when it died (and then periodically).
  const sweep = await scheduleJobRunSweep(options.db, boss, {
    everySeconds: options.sweepSeconds ?? e.JOB_SWEEP_SECONDS,
    staleSeconds: liveness.staleSeconds,
    log,
  });
  // pg-boss's loop waits out the rest of its polling interval after a job shorter than the interval, even when more
  // jobs are waiting: a pool's 21 score chunks of ~0.5 s each then took ~1 s apiece per slot. A slot that has just run
  // a job looks for the next at once (one extra fetch when the queue is empty), and when a run ends, the slots of the
  // queues it feeds (its definition's `feeds`) look too: the score job starts as the training that queued it ends.
  const slots = new Map<string, string[]>();
  const wake = (queue: string) => {
    for (const id of slots.get(queue) ?? []) boss.notifyWorker(id);
  };
  for (const { definition, handler, afterCompleted } of routes) {
    for (let i = 0; i < options.concurrency; i++) {
      const slot: { id?: string } = {};
      const lookAgain = () => {
        if (slot.id !== undefined) boss.notifyWorker(slot.id);
      };
      slot.id = await boss.work<{ jobRunId: string; version: number; data: unknown }>(
        definition.name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: Math.min(options.pollingSeconds, definition.maxPollSeconds ?? Infinity),
        },
        async ([job]) => {
          if (!job) return;
          const started = Date.now();
          lookAgain();
          try {
            const outcome = await runJob(options.db, boss, definition, handler as JobHandler<JobDefinition>, job, {
              ...liveness,
              log,
              afterCompleted:
                afterCompleted &&
                ((payload) =>
                  (afterCompleted as NonNullable<typeof afterCompleted>)(payload as never, { db: options.db, boss })),
            });
            // A parent checking on its chunks comes back every few seconds: not worth a line each time.
            const said =
              typeof outcome === "object" && outcome !== null && !Array.isArray(outcome)
                ? (outcome as Record<string, unknown>)
                : {};
            if (said.deferred) log(`[worker] ${definition.name} ${job.id} deferred: ${String(said.deferred)}`);
            else if (said.interrupted)
              log(`[worker] ${definition.name} ${job.id} interrupted by a database outage; re-queued`);
            else if (said.checkBack === undefined)
              log(`[worker] ${definition.name} ${job.id} done in ${Date.now() - started} ms`);
          } catch (error) {
            // runJob rethrows a redacted copy; anything else (its own database writes failing) is redacted here.
            log(`[worker] ${definition.name} ${job.id} failed: ${redactedMessage(error)}`);
            throw redactedError(error);
          } finally {
            for (const queue of definition.feeds ?? []) wake(queue);
          }
        },
      );
      slots.set(definition.name, [...(slots.get(definition.name) ?? []), slot.id]);
    }
  }
  // A job queued anywhere (an annotator's label queuing a retrain, on the web server) wakes this worker's slots for
  // its queue at once instead of at their next poll; after a (re)connection every queue is looked at once.
  const wakeListener = listenForQueuedJobs(
    options.connectionString,
    (queue) => {
      for (const name of queue === null ? slots.keys() : [queue]) wake(name);
    },
    log,
  );
  // Housekeeping on pg-boss's cron: every worker schedules it (idempotent), one of them runs each tick.
  await boss.schedule(MAINTENANCE_QUEUE, "17 * * * *");
  await boss.work(MAINTENANCE_QUEUE, { batchSize: 1, pollingIntervalSeconds: options.pollingSeconds }, async () => {
    const removed = await deleteStaleUploads(options.db);
    if (removed.uploads)
      log(
        `[worker] maintenance: deleted ${removed.uploads} stale import uploads (${Math.round(removed.bytes / 1024)} KiB)`,
      );
  });
  // Vector block files live on each host, so each worker process tidies its own folder (hourly, not on the shared
  // cron, which runs on one worker only); a failure is logged and waits for the next hour.
  const tidyBlockFiles = setInterval(
    () => {
      removeOrphanBlockFiles(options.db)
        .then(({ folders, files }) => {
          if (folders || files)
            log(`[worker] maintenance: removed ${folders} orphan block folders, ${files} temp files`);
        })
        .catch((error) => log(`[worker] maintenance: block files: ${redactedMessage(error)}`));
    },
    60 * 60 * 1000,
  );
  tidyBlockFiles.unref();
  return {
    boss,
    async stop() {
      clearInterval(tidyBlockFiles);
      await wakeListener.stop();
      await sweep.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await bossDb.close();
    },
  };
}
