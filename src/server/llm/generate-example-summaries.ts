import { z } from "zod";
import type { LlmClient } from "@/server/llm/llm-client";
import { classPrompt, renderTemplate, type PromptTemplates } from "@/server/llm/prompt-templates";
import { acceptSummaries } from "@/server/llm/summary-text";

// Phase 1 of generation: short, specific summaries of possible examples of one class.
export const exampleSummariesSchema = z.object({
  summaries: z.array(z.string()).describe("The example summaries, one per entry"),
});

const RULE = "----------------------------------------";

export interface ExampleSummariesInput {
  cls: { name: string; description: string };
  /** Existing examples of the class to show (already chosen and shuffled by the caller). */
  examples: string[];
  count: number;
  seed: number;
}

export function exampleSummariesMessages(templates: PromptTemplates, input: ExampleSummariesInput) {
  const description = classPrompt(input.cls);
  const examples = input.examples.length
    ? `Consider the following examples:\n${input.examples.map((e) => `${RULE}\n${e}\n${RULE}\n`).join("")}`
    : "";
  const values = { className: input.cls.name, description, examples, count: input.count };
  return {
    system: renderTemplate(templates.summariesSystem, values),
    user: renderTemplate(templates.summariesUser, values),
  };
}

export async function generateExampleSummaries(
  client: LlmClient,
  templates: PromptTemplates,
  input: ExampleSummariesInput,
) {
  const { system, user } = exampleSummariesMessages(templates, input);
  const answer = await client.structured({
    name: "example_summaries",
    system,
    user,
    schema: exampleSummariesSchema,
    seed: input.seed,
  });
  return acceptSummaries(answer.summaries, input.count);
}
