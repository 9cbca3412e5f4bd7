import { adjudicationRouter } from "@/server/api/routers/adjudication";
import { apiKeysRouter } from "@/server/api/routers/api-keys";
import { classesRouter } from "@/server/api/routers/classes";
import { importsRouter } from "@/server/api/routers/imports";
import { flagsRouter } from "@/server/api/routers/flags";
import { generationRouter } from "@/server/api/routers/generation";
import { guidelinesRouter } from "@/server/api/routers/guidelines";
import { itemsRouter } from "@/server/api/routers/items";
import { jobsRouter } from "@/server/api/routers/jobs";
import { modelsRouter } from "@/server/api/routers/models";
import { projectsRouter } from "@/server/api/routers/projects";
import { labelsRouter } from "@/server/api/routers/labels";
import { llmRouter } from "@/server/api/routers/llm";
import { queueRouter } from "@/server/api/routers/queue";
import { statsRouter } from "@/server/api/routers/stats";
import { usersRouter } from "@/server/api/routers/users";
import { createCallerFactory, createContext, router } from "@/server/api/trpc";

export const appRouter = router({
  projects: projectsRouter,
  classes: classesRouter,
  users: usersRouter,
  jobs: jobsRouter,
  queue: queueRouter,
  labels: labelsRouter,
  items: itemsRouter,
  models: modelsRouter,
  imports: importsRouter,
  apiKeys: apiKeysRouter,
  generation: generationRouter,
  llm: llmRouter,
  guidelines: guidelinesRouter,
  stats: statsRouter,
  flags: flagsRouter,
  adjudication: adjudicationRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/** A caller acting as the request's signed-in user, for server components (the UI's one way in besides the type). */
export async function callerForRequest(headers: Headers) {
  return createCaller(await createContext({ headers }));
}
