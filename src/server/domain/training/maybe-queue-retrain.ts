import type PgBoss from "pg-boss";
import type { Tx } from "@/server/db";
import { queueTraining } from "@/server/domain/training/queue-training";

/**
 * After a human label: when the project's retrain interval is reached (human labels since the last training was
 * queued, counted with a bounded index scan rather than a counter, so concurrent annotators never queue behind a
 * hot project row) and no training is queued or running, queues one in the caller's transaction. Returns the run
 * only when this call queued it (a label that merely found a training in flight did not trigger anything).
 */
export async function maybeQueueRetrain(tx: Tx, boss: PgBoss, projectId: number, userId: string | null) {
  const project = await tx.project.findUniqueOrThrow({
    where: { id: projectId },
    select: { retrainEvery: true, trainQueuedAt: true },
  });
  const since = project.trainQueuedAt ?? new Date(0);
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT 1 FROM annotation
      WHERE project_id = ${projectId} AND origin = 'human' AND undone_at IS NULL AND skipped = false AND created_at > ${since}
      LIMIT ${project.retrainEvery}) recent`;
  if (Number(row?.n ?? 0) < project.retrainEvery) return null;
  const { run, queued } = await queueTraining(tx, boss, projectId, userId, "auto");
  return queued ? run : null;
}
