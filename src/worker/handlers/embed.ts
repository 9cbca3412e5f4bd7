import { embedProject } from "@/server/domain/embeddings/embed-project";
import type { embedJob } from "@/server/jobs/job-definitions";
import type { JobHandler } from "@/worker/run-job";

export const handleEmbed: JobHandler<typeof embedJob> = async ({ projectId, fromId, toId }, ctx) =>
  embedProject(ctx.db, { projectId, fromId, toId }, ctx);
