import { scoreVersion } from "@/server/domain/scoring/score-version";
import type { scoreJob } from "@/server/jobs/job-definitions";
import { CheckBack } from "@/worker/job-context";
import type { JobHandler } from "@/worker/run-job";

/** How often a parent score job looks at its chunks again while they run (it holds no worker in between). */
const CHUNK_CHECK_SECONDS = 1;

export const handleScore: JobHandler<typeof scoreJob> = async ({ projectId, modelVersionId, missingOnly }, ctx) => {
  const outcome = await scoreVersion(
    ctx.db,
    ctx.boss,
    { projectId, modelVersionId, missingOnly, jobRunId: ctx.jobRunId },
    ctx,
  );
  return "waiting" in outcome ? new CheckBack(CHUNK_CHECK_SECONDS) : outcome;
};
