import { z } from "zod";
import type { LlmClient } from "@/server/llm/llm-client";
import { LlmError } from "@/server/llm/llm-error";
import { renderTemplate, type PromptTemplates } from "@/server/llm/prompt-templates";
import { renderClasses, renderTexts } from "@/server/llm/zero-shot-prompt";

// Zero-shot, multi-label: an independent probability per class and text.
export function zeroShotMultiLabelSchema(classNames: [string, ...string[]]) {
  return z.object({
    results: z.array(
      z.object({
        id: z.number().int().describe("The id in brackets before the text"),
        labels: z.array(
          z.object({
            label: z.enum(classNames),
            probability: z.number().describe("Probability between 0 and 1 that the class applies"),
          }),
        ),
      }),
    ),
  });
}

/** Returns, per text, one probability per class in `classes` order; a class the model did not mention gets 0. */
export async function classifyZeroShotMultiLabel(
  client: LlmClient,
  templates: PromptTemplates,
  classes: { name: string; description: string }[],
  texts: string[],
) {
  const names = classes.map((c) => c.name) as [string, ...string[]];
  const answer = await client.structured({
    name: "zero_shot_multi_labels",
    system: renderTemplate(templates.classifyMultiSystem, { classes: renderClasses(classes) }),
    user: renderTemplate(templates.classifyUser, { texts: renderTexts(texts) }),
    schema: zeroShotMultiLabelSchema(names),
    temperature: 0,
  });
  // Array.from, not new Array(n): holes would be skipped by the missing-id check below.
  const out = Array.from<number[] | undefined>({ length: texts.length });
  for (const r of answer.results) {
    const i = r.id - 1;
    if (i < 0 || i >= texts.length)
      throw new LlmError(
        "LLM_MALFORMED_OUTPUT",
        `zero-shot answer names text [${r.id}], but the batch has ${texts.length} texts`,
      );
    if (out[i]) throw new LlmError("LLM_MALFORMED_OUTPUT", `zero-shot answer labels text [${r.id}] twice`);
    const row = new Array<number>(names.length).fill(0);
    const seen = new Set<string>();
    for (const l of r.labels) {
      if (seen.has(l.label))
        throw new LlmError(
          "LLM_MALFORMED_OUTPUT",
          `zero-shot answer scores class "${l.label}" twice for text [${r.id}]`,
        );
      if (!Number.isFinite(l.probability))
        throw new LlmError("LLM_MALFORMED_OUTPUT", `zero-shot probability for text [${r.id}] is not a number`);
      seen.add(l.label);
      row[names.indexOf(l.label)] = Math.min(1, Math.max(0, l.probability));
    }
    out[i] = row;
  }
  const missing = out.flatMap((r, i) => (r ? [] : [i + 1]));
  if (missing.length)
    throw new LlmError(
      "LLM_MALFORMED_OUTPUT",
      `zero-shot answer left out text${missing.length > 1 ? "s" : ""} [${missing.join("], [")}]`,
    );
  return out as number[][];
}
