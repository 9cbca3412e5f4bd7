import type PgBoss from "pg-boss";
import type { Db } from "@/server/db";
import { getProject } from "@/server/domain/projects/get-project";
import { enqueueJob } from "@/server/jobs/enqueue-job";
import { projectStatsJob } from "@/server/jobs/job-definitions";

export async function requestProjectStats(db: Db, boss: PgBoss, projectId: number, userId: string | null) {
  return db.$transaction(async (tx) => {
    await getProject(tx, projectId);
    return enqueueJob(tx, boss, projectStatsJob, { projectId }, { projectId, userId });
  });
}
