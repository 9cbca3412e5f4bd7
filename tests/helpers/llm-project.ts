import type { Db } from "@/server/db";
import { createClass } from "@/server/domain/classes/create-class";
import { createProject } from "@/server/domain/projects/create-project";
import { catsVsDogs } from "@/server/domain/seed/demo-projects";
import type { LlmSettings } from "@/server/schemas/llm-settings";
import { uniqueSuffix } from "./factories";

/** A project whose LLM settings point at a test server (as an admin would point one at vLLM or Ollama). */
export async function makeLlmProject(
  db: Db,
  baseUrl: string,
  options: {
    classes?: { name: string; description: string }[];
    settings?: LlmSettings;
    taskType?: "binary" | "multiclass" | "multilabel";
  } = {},
) {
  const project = await createProject(
    db,
    { name: `LLM ${uniqueSuffix()}`, taskType: options.taskType ?? "multiclass" },
    null,
  );
  await db.project.update({
    where: { id: project.id },
    data: { llmSettings: { baseUrl, chatModel: "fake-chat", maxRetries: 0, concurrency: 2, ...options.settings } },
  });
  const classes = [];
  for (const c of options.classes ?? catsVsDogs.classes)
    classes.push(await createClass(db, { projectId: project.id, ...c }, null));
  return { project, classes };
}
