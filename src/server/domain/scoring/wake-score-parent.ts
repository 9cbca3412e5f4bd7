import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { chunkRuns } from "@/server/domain/scoring/score-version";
import { scoreJob } from "@/server/jobs/job-definitions";
import { resendJob } from "@/server/jobs/resend-job";

/**
 * Called once a score chunk's run is recorded completed. When every chunk of its parent has completed, the parent
 * score job — waiting in the queue for its next look at them (worker/handlers/score.ts) — is put back to run now, so
 * the score job ends when its chunks do rather than up to a check interval and a poll later. Only a parent waiting
 * in the queue is moved: one being run right now finishes or looks again by itself (and if it starts between the
 * look and the move, its own re-queue under the same id replaces this one). Returns whether it moved the parent.
 */
export async function wakeScoreParent(db: Db, boss: PgBoss, parentJobRunId: string): Promise<boolean> {
  const runs = await chunkRuns(db, parentJobRunId);
  if (runs.length === 0 || runs.some((r) => r.state !== "completed")) return false;
  const parent = await boss.getJobById<object>(scoreJob.name, parentJobRunId);
  if (!parent || parent.state !== "created") return false;
  await resendJob(db, boss, scoreJob, parent, 0);
  return true;
}
