import type PgBoss from "pg-boss";
import type { Tx } from "@/server/db";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { trainJob } from "@/server/jobs/job-definitions";

// Advisory lock namespace for "queue a training for project N" (the second key is the project id).
const TRAIN_QUEUE_LOCK = 4_137_002;

/**
 * Queues a training run unless one is already queued or running for the project (only one training per project
 * runs at a time): returns that run and whether this call queued it. A transaction-scoped advisory lock serializes
 * concurrent requests; a row lock on the project would deadlock against the key-share locks that concurrent label
 * inserts already hold on it.
 */
export async function queueTraining(
  tx: Tx,
  boss: PgBoss,
  projectId: number,
  userId: string | null,
  trigger: "auto" | "manual",
) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TRAIN_QUEUE_LOCK}::int, ${projectId}::int)`;
  const inFlight = await tx.jobRun.findFirst({
    where: { projectId, type: trainJob.name, state: { in: ["queued", "running"] } },
  });
  if (inFlight) return { run: inFlight, queued: false };
  await tx.project.update({ where: { id: projectId }, data: { trainQueuedAt: new Date() } });
  return { run: await enqueueJob(tx, boss, trainJob, { projectId, trigger }, { projectId, userId }), queued: true };
}
