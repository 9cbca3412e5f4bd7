import { CliError } from "@/cli/margin/cli-error";
import { EXIT_FAILED } from "@/server/error-table";
import type { Progress } from "@/cli/margin/progress";
import { generateExamples, type GeneratedClass } from "@/server/domain/generation/generate-examples";
import { generationOptionsSchema } from "@/server/schemas/generation-options";
import type { EmbedTexts } from "@/ml/near-duplicate-index";
import { createLlmClient } from "@/server/llm/llm-client";
import { endpointLabel, resolveLlmConfig, type LlmConfig } from "@/server/llm/llm-config";
import { LlmError, redactSecret } from "@/server/llm/llm-error";
import { estimateCostUsd } from "@/server/llm/llm-usage";
import { defaultPromptTemplates } from "@/server/llm/prompt-templates";

/** The LLM from the environment, or a usage error that names the variables (checked before anything slow starts). */
export function requireCliLlmConfig(): LlmConfig {
  const resolved = resolveLlmConfig();
  if (resolved.configured) return resolved.config;
  throw new CliError(
    "--generate needs an LLM: set LLM_CHAT_MODEL and either LLM_BASE_URL (an OpenAI-compatible server such as Ollama, vLLM or LM Studio, e.g. http://localhost:11434/v1) or LLM_API_KEY (OpenAI); see .env.example",
  );
}

export interface GenerateTrainingExamplesInput {
  config: LlmConfig;
  count: number;
  seed: number;
  classes: { name: string; description: string; examples: string[] }[];
  existingTexts: string[];
  embed: EmbedTexts;
  verbose: boolean;
}

export interface GeneratedTrainingExamples {
  classes: GeneratedClass[];
  /** Requests that reached the LLM (the CLI has no response cache). */
  requests: number;
}

/** Why an expansion was dropped, without its details: "near-duplicate", "invalid", "malformed"… */
function dropKind(reason: string): string {
  return reason.split(/[:(]/)[0]!.trim();
}

function countsBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/**
 * `margin train --generate N`: N examples per class from the class prompts with Lamini's three phases, through the
 * same steps as the generation job but in memory and without the response cache (the CLI has no database).
 * Any LLM failure ends the command with one line — its code and what to check — never the key.
 */
export async function generateTrainingExamples(
  input: GenerateTrainingExamplesInput,
  progress: Progress,
): Promise<GeneratedTrainingExamples> {
  const parsed = generationOptionsSchema.safeParse({ targetPerClass: input.count, seed: input.seed });
  if (!parsed.success) throw new CliError(`--generate/--seed: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  const { config } = input;
  const client = createLlmClient(null, config);
  if (input.verbose) {
    progress.note(
      `Generating ${input.count} examples per class for ${input.classes.length} classes with ${config.chatModel} at ${endpointLabel(config)} (seed ${input.seed}, up to ${config.concurrency} requests at a time)`,
    );
  }
  const total = input.count * input.classes.length;
  const kept = new Map<string, number>();
  const label = `generating ${input.count} per class`;
  progress.update(label, 0, total, "examples");
  let generated: GeneratedClass[];
  try {
    generated = await generateExamples(
      {
        classes: input.classes,
        existingTexts: input.existingTexts,
        options: parsed.data,
        templates: defaultPromptTemplates,
      },
      {
        client,
        embed: input.embed,
        // Every event is printed here once: rounds and drops with -v, a class that stops short always.
        log: (line, level) => {
          if (level === "warn") progress.note(`warning: ${line}`);
          else if (input.verbose) progress.note(`  ${line}`);
        },
        onProgress: (name, n) => {
          kept.set(name, n);
          progress.update(
            label,
            [...kept.values()].reduce((a, b) => a + b, 0),
            total,
            "examples",
          );
        },
      },
    );
  } catch (error) {
    progress.end();
    if (error instanceof LlmError) {
      const message = redactSecret(error.message, config.apiKey).replace(/\s+/g, " ");
      throw new CliError(`generation failed: ${error.llmCode}: ${message}`, EXIT_FAILED);
    }
    throw error;
  }
  progress.end();
  if (input.verbose) {
    for (const c of generated) {
      const drops = c.dropped.length ? ` (${countsBy(c.dropped.map((d) => dropKind(d.reason)))})` : "";
      progress.note(
        `${c.name}: generated ${c.examples.length} of ${input.count} in ${c.rounds} round(s); dropped ${c.dropped.length}${drops}; ${c.ignoredSummaries} summaries ignored`,
      );
    }
    const u = client.usage;
    const cost = estimateCostUsd(u, config.prices);
    progress.note(
      `LLM usage: ${u.requests} requests, ${u.promptTokens} prompt + ${u.completionTokens} completion tokens${cost === undefined ? "" : `, about $${cost.toFixed(4)}`}`,
    );
  }
  return { classes: generated, requests: client.usage.requests };
}
