import { z } from "zod";
import type { LlmClient } from "@/server/llm/llm-client";
import { classPrompt, renderTemplate, type PromptTemplates } from "@/server/llm/prompt-templates";

// Phase 3 of generation: one complete example from one summary, consistent with the class description.
export const expandedExampleSchema = z.object({ example: z.string().describe("The complete example text") });

export const MAX_EXAMPLE_CHARS = 5000;
const REFUSAL = /^(?:i['’]m sorry|i am sorry|i cannot|i can['’]t|as an ai\b|sorry, (?:but )?i)/i;

export interface ExpandInput {
  cls: { name: string; description: string };
  summary: string;
  seed: number;
}

export function expandMessages(templates: PromptTemplates, input: ExpandInput) {
  const values = { className: input.cls.name, description: classPrompt(input.cls), summary: input.summary };
  return { system: renderTemplate(templates.expandSystem, values), user: renderTemplate(templates.expandUser, values) };
}

/** Returns the example, or why it cannot be used (the caller records the reason on the summary). */
export async function expandSummary(
  client: LlmClient,
  templates: PromptTemplates,
  input: ExpandInput,
): Promise<{ text: string } | { invalid: string }> {
  const { system, user } = expandMessages(templates, input);
  const answer = await client.structured({
    name: "expanded_example",
    system,
    user,
    schema: expandedExampleSchema,
    seed: input.seed,
  });
  const text = answer.example.trim();
  if (!text) return { invalid: "empty example" };
  if (text.length > MAX_EXAMPLE_CHARS) return { invalid: `longer than ${MAX_EXAMPLE_CHARS} characters` };
  if (REFUSAL.test(text)) return { invalid: "the model refused" };
  return { text };
}
