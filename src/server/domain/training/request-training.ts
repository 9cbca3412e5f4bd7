import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { queueTraining } from "@/server/domain/training/queue-training";

/** Train now (on demand): returns the queued job, or the one already queued or running for the project. */
export async function requestTraining(db: Db, boss: PgBoss, projectId: number, userId: string) {
  return db.$transaction(async (tx) => {
    await getProject(tx, projectId);
    return (await queueTraining(tx, boss, projectId, userId, "manual")).run;
  });
}
