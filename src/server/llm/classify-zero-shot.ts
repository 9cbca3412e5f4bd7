import { z } from "zod";
import type { LlmClient } from "@/server/llm/llm-client";
import { LlmError } from "@/server/llm/llm-error";
import { renderTemplate, type PromptTemplates } from "@/server/llm/prompt-templates";
import { renderClasses, renderTexts } from "@/server/llm/zero-shot-prompt";

// Zero-shot, single label: one class per text from an enum of the class names, with the model's stated confidence.
export function zeroShotSchema(classNames: [string, ...string[]]) {
  return z.object({
    results: z.array(
      z.object({
        id: z.number().int().describe("The id in brackets before the text"),
        label: z.enum(classNames).describe("The class that fits best"),
        confidence: z.number().describe("Probability between 0 and 1 that the label is correct"),
      }),
    ),
  });
}

/**
 * Labels a batch of texts; result[i] is {classIndex, confidence} for texts[i]. The answer must cover every id
 * exactly once with a finite confidence — otherwise it is malformed (and the caller may retry smaller batches).
 */
export async function classifyZeroShot(
  client: LlmClient,
  templates: PromptTemplates,
  classes: { name: string; description: string }[],
  texts: string[],
) {
  const names = classes.map((c) => c.name) as [string, ...string[]];
  const answer = await client.structured({
    name: "zero_shot_labels",
    system: renderTemplate(templates.classifySystem, { classes: renderClasses(classes) }),
    user: renderTemplate(templates.classifyUser, { texts: renderTexts(texts) }),
    schema: zeroShotSchema(names),
    temperature: 0,
  });
  // Array.from, not new Array(n): holes would be skipped by the missing-id check below.
  const out = Array.from<{ classIndex: number; confidence: number } | undefined>({ length: texts.length });
  for (const r of answer.results) {
    const i = r.id - 1;
    if (i < 0 || i >= texts.length)
      throw new LlmError(
        "LLM_MALFORMED_OUTPUT",
        `zero-shot answer names text [${r.id}], but the batch has ${texts.length} texts`,
      );
    if (out[i]) throw new LlmError("LLM_MALFORMED_OUTPUT", `zero-shot answer labels text [${r.id}] twice`);
    if (!Number.isFinite(r.confidence))
      throw new LlmError("LLM_MALFORMED_OUTPUT", `zero-shot confidence for text [${r.id}] is not a number`);
    out[i] = { classIndex: names.indexOf(r.label), confidence: Math.min(1, Math.max(0, r.confidence)) };
  }
  const missing = out.flatMap((r, i) => (r ? [] : [i + 1]));
  if (missing.length)
    throw new LlmError(
      "LLM_MALFORMED_OUTPUT",
      `zero-shot answer left out text${missing.length > 1 ? "s" : ""} [${missing.join("], [")}]`,
    );
  return out as { classIndex: number; confidence: number }[];
}

/**
 * Turns a stated label + confidence into a distribution over K classes: the label gets its confidence (at least
 * 1/K, so it stays the arg-max) and the rest is shared equally. Writes row `row` of `probs` [n × K].
 */
export function confidenceToProbabilities(
  probs: Float32Array,
  row: number,
  k: number,
  classIndex: number,
  confidence: number,
) {
  if (k === 1) {
    probs[row] = 1;
    return;
  }
  const top = Math.max(confidence, 1 / k);
  const rest = (1 - top) / (k - 1);
  for (let j = 0; j < k; j++) probs[row * k + j] = j === classIndex ? top : rest;
}
