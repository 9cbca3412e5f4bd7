import { scoreVersion } from "@/server/domain/scoring/score-version";
import type { scoreJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleScore: JobHandler<typeof scoreJob> = async ({ projectId, modelVersionId, missingOnly }, ctx) =>
  scoreVersion(ctx.db, ctx.boss, { projectId, modelVersionId, missingOnly, jobRunId: ctx.jobRunId }, ctx);
