import { z } from "zod";
import { importOptions } from "@/server/schemas/import-options";
import { generationOptionsSchema } from "@/server/schemas/generation-options";
import { defineJob } from "@/server/jobs/define-job";
import { llmSettingsSchema } from "@/server/schemas/llm-settings";

// Every background job is declared here once: queue name, payload schema, retry policy.

export const projectStatsJob = defineJob({
  name: "project-stats",
  title: "Compute project statistics",
  version: 1,
  payload: z.object({ projectId: z.number().int().positive() }),
  retryLimit: 3,
  retryDelaySeconds: 2,
  expireInSeconds: 600,
});

export const trainJob = defineJob({
  name: "train",
  title: "Train a model version",
  version: 1,
  payload: z.object({ projectId: z.number().int().positive(), trigger: z.enum(["auto", "manual"]) }),
  retryLimit: 2,
  retryDelaySeconds: 5,
  expireInSeconds: 3600,
  // Annotators wait for the retrained model: pick the job up within half a second.
  maxPollSeconds: 0.5,
  feeds: ["score"],
});

export const scoreJob = defineJob({
  name: "score",
  title: "Score the pool",
  version: 1,
  payload: z.object({
    projectId: z.number().int().positive(),
    modelVersionId: z.number().int().positive(),
    /** Score only items the version has no prediction for (a re-activated version catching up on new items). */
    missingOnly: z.boolean().optional(),
  }),
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInSeconds: 3600,
  feeds: ["score-chunk"],
});

// Large pools are scored in id ranges so that several workers share the work; each chunk is idempotent.
export const scoreChunkJob = defineJob({
  name: "score-chunk",
  title: "Score a chunk of the pool",
  version: 1,
  payload: z.object({
    projectId: z.number().int().positive(),
    modelVersionId: z.number().int().positive(),
    fromId: z.number().int().min(0),
    toId: z.number().int().min(0),
    parentJobRunId: z.uuid(),
    missingOnly: z.boolean().optional(),
  }),
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInSeconds: 3600,
  // The last chunk puts its parent back to run now (scoring/wake-score-parent.ts).
  feeds: ["score"],
});

export const embedJob = defineJob({
  name: "embed",
  title: "Embed texts",
  version: 1,
  payload: z.object({
    projectId: z.number().int().positive(),
    fromId: z.number().int().min(0).optional(),
    toId: z.number().int().min(0).optional(),
  }),
  retryLimit: 3,
  retryDelaySeconds: 5,
  expireInSeconds: 3600,
});

export const importJob = defineJob({
  name: "import",
  title: "Import a file",
  version: 1,
  payload: z.object({ projectId: z.number().int().positive(), uploadId: z.uuid(), options: importOptions }),
  // A failed import rolled back whole; a retry starts over from the stored upload.
  retryLimit: 2,
  retryDelaySeconds: 10,
  expireInSeconds: 3 * 3600,
});

export const generateJob = defineJob({
  name: "generate",
  title: "Generate examples with an LLM",
  version: 1,
  payload: z.object({
    runId: z.number().int().positive(),
    options: generationOptionsSchema,
    /** Snapshots taken at start, so a resumed run asks the same questions (and hits the same cache entries). */
    templates: z.record(z.string(), z.string()),
    llmSettings: llmSettingsSchema,
  }),
  // A resumed run keeps everything already stored, so retrying after a transient LLM failure is cheap.
  retryLimit: 2,
  retryDelaySeconds: 30,
  expireInSeconds: 6 * 3600,
});

export const allJobs = [projectStatsJob, trainJob, scoreJob, scoreChunkJob, embedJob, importJob, generateJob] as const;
