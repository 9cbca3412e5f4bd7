import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Prompt templates with {{placeholders}}. The defaults follow the wording of Lamini's llm-classifier (example
 * summaries → diversify → expand); bump DEFAULT_TEMPLATES_VERSION whenever a default changes, because the version is
 * recorded in every generated item's provenance. Projects may override any template (`project.prompt_templates`).
 */
export const DEFAULT_TEMPLATES_VERSION = "lamini@1";

const RULE = "----------------------------------------";

export const defaultPromptTemplates = {
  summariesSystem: "You are a domain expert who is able to generate many different examples given a description.",
  summariesUser: `{{examples}}Read the following description carefully:\n${RULE}\n{{description}}\n${RULE}\nGenerate {{count}} different example summaries following this description. Each example summary should be as specific as possible using at most 10 words.`,
  diversifySystem:
    "You are a domain expert who is able to clearly understand these descriptions and modify them to be more diverse.",
  diversifyUser: `Read the following descriptions carefully:\n${RULE}\n{{summaries}}\n${RULE}\nGenerate {{count}} more examples that are similar, but substantially different from those above. Each example should be as specific as possible using at most 10 words.`,
  expandSystem:
    "You are a domain expert who is able to clearly understand this description and expand to a complete example from a short summary.",
  expandUser: `Read the following description carefully:\n${RULE}\n{{description}}\n${RULE}\nNow read the following summary of an example matching this description carefully:\n${RULE}\n{{summary}}\n${RULE}\nExpand the summary to a complete example. Be consistent with both the summary and the description. Get straight to the point.`,
  classifySystem:
    "You label texts for a text classifier. The classes are:\n{{classes}}\nFor every text, answer with its id, the one class that fits best (its name exactly as written above) and your confidence between 0 and 1 that this class is correct.",
  classifyMultiSystem:
    "You label texts for a multi-label text classifier. The classes are:\n{{classes}}\nA text may belong to several classes or to none. For every text, answer with its id and, for every class, the probability between 0 and 1 that the class applies.",
  classifyUser: "Texts:\n{{texts}}",
} as const;

export type PromptTemplateName = keyof typeof defaultPromptTemplates;
export type PromptTemplates = Record<PromptTemplateName, string>;

/** The placeholders each template may use; the ones marked required must appear. */
const placeholders: Record<PromptTemplateName, { allowed: string[]; required: string[] }> = {
  summariesSystem: { allowed: ["className", "description"], required: [] },
  summariesUser: { allowed: ["examples", "description", "count", "className"], required: ["description", "count"] },
  diversifySystem: { allowed: ["className", "description"], required: [] },
  diversifyUser: { allowed: ["summaries", "count", "className", "description"], required: ["summaries", "count"] },
  expandSystem: { allowed: ["className", "description"], required: [] },
  expandUser: { allowed: ["description", "summary", "className"], required: ["summary"] },
  classifySystem: { allowed: ["classes"], required: ["classes"] },
  classifyMultiSystem: { allowed: ["classes"], required: ["classes"] },
  classifyUser: { allowed: ["texts"], required: ["texts"] },
};

function placeholdersIn(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)].map((m) => m[1]!);
}

const templateText = z
  .string()
  .trim()
  .min(1, "A template cannot be empty")
  .max(10_000, "A template is at most 10,000 characters");

/** A project's overrides: any subset of the templates, each checked for unknown and missing placeholders. */
export const promptTemplatesOverrideSchema = z
  .object(
    Object.fromEntries(Object.keys(defaultPromptTemplates).map((name) => [name, templateText.optional()])) as Record<
      PromptTemplateName,
      z.ZodOptional<typeof templateText>
    >,
  )
  .strict()
  .superRefine((value, ctx) => {
    for (const [name, template] of Object.entries(value) as [PromptTemplateName, string | undefined][]) {
      if (template === undefined) continue;
      const used = placeholdersIn(template);
      const { allowed, required } = placeholders[name];
      for (const p of used)
        if (!allowed.includes(p))
          ctx.addIssue({
            code: "custom",
            path: [name],
            message: `{{${p}}} is not available here (available: ${allowed.map((a) => `{{${a}}}`).join(", ")})`,
          });
      for (const p of required)
        if (!used.includes(p)) ctx.addIssue({ code: "custom", path: [name], message: `must contain {{${p}}}` });
    }
  });
export type PromptTemplatesOverride = z.infer<typeof promptTemplatesOverrideSchema>;

/** The effective templates of a project and the version recorded in provenance. */
export function resolvePromptTemplates(stored: unknown): {
  templates: PromptTemplates;
  version: string;
  overridden: PromptTemplateName[];
} {
  const overrides = stored === null || stored === undefined ? {} : promptTemplatesOverrideSchema.parse(stored);
  const overridden = (Object.keys(overrides) as PromptTemplateName[]).filter(
    (k) => overrides[k] !== undefined && overrides[k] !== defaultPromptTemplates[k],
  );
  const templates = {
    ...defaultPromptTemplates,
    ...Object.fromEntries(overridden.map((k) => [k, overrides[k]!])),
  } as PromptTemplates;
  const version =
    overridden.length === 0
      ? DEFAULT_TEMPLATES_VERSION
      : `custom-${createHash("sha256").update(JSON.stringify(templates)).digest("hex").slice(0, 10)}`;
  return { templates, version, overridden };
}

export function renderTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return String(value);
  });
}

/** A class's prompt, or its name when the description is empty (the model needs something to go on). */
export function classPrompt(cls: { name: string; description: string }): string {
  return cls.description.trim() || `Texts of the class "${cls.name}".`;
}
