import { z } from "zod";
import { adminProcedure, authedProcedure, projectProcedure, router } from "@/server/api/trpc";
import { cancelJob } from "@/server/domain/job-runs/cancel-job";
import { getJob } from "@/server/domain/job-runs/get-job";
import { listJobs, listJobsInput } from "@/server/domain/job-runs/list-jobs";
import { requestProjectStats } from "@/server/domain/job-runs/request-project-stats";
import { boss } from "@/server/jobs/boss";

export const jobsRouter = router({
  list: authedProcedure.input(listJobsInput).query(({ ctx, input }) => listJobs(ctx.db, input, ctx.user)),
  get: projectProcedure("jobId")
    .input(z.object({ jobId: z.uuid() }))
    .query(({ ctx, input }) => getJob(ctx.db, input.jobId)),
  cancel: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => cancelJob(ctx.db, await boss(), input.id, ctx.user.id)),
  refreshStats: projectProcedure()
    .input(z.object({ projectId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => requestProjectStats(ctx.db, await boss(), input.projectId, ctx.user.id)),
});
