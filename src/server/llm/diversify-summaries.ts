import { z } from "zod";
import type { LlmClient } from "@/server/llm/llm-client";
import { classPrompt, renderTemplate, type PromptTemplates } from "@/server/llm/prompt-templates";
import { acceptSummaries } from "@/server/llm/summary-text";

// Phase 2 of generation: new summaries similar to, but substantially different from, a group of existing ones —
// more effective for diversity than a higher temperature.
export const diversifiedSummariesSchema = z.object({
  summaries: z.array(z.string()).describe("The new example summaries, one per entry"),
});

export interface DiversifyInput {
  cls: { name: string; description: string };
  group: string[];
  count: number;
  seed: number;
}

export function diversifyMessages(templates: PromptTemplates, input: DiversifyInput) {
  const values = {
    className: input.cls.name,
    description: classPrompt(input.cls),
    summaries: input.group.map((s, i) => `${i + 1}. ${s}`).join("\n"),
    count: input.count,
  };
  return {
    system: renderTemplate(templates.diversifySystem, values),
    user: renderTemplate(templates.diversifyUser, values),
  };
}

export async function diversifySummaries(client: LlmClient, templates: PromptTemplates, input: DiversifyInput) {
  const { system, user } = diversifyMessages(templates, input);
  const answer = await client.structured({
    name: "diversified_summaries",
    system,
    user,
    schema: diversifiedSummariesSchema,
    seed: input.seed,
  });
  return acceptSummaries(answer.summaries, input.count, input.group);
}
