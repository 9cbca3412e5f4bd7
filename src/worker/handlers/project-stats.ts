import type { Prisma } from "@/generated/prisma/client";
import { computeProjectStats } from "@/server/domain/stats/compute-project-stats";
import type { projectStatsJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleProjectStats: JobHandler<typeof projectStatsJob> = async ({ projectId }, ctx) => {
  await ctx.progress(0, 1);
  const stats = await computeProjectStats(ctx.db, projectId);
  await ctx.log(`${stats.items} items, ${stats.byStatus.labeled} labeled, ${stats.annotations.human} human labels`);
  await ctx.progress(1, 1);
  return stats as unknown as Prisma.InputJsonValue;
};
