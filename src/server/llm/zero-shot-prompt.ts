/** Shared rendering for the zero-shot tasks: one line per class and one numbered line per text. */
export const MAX_TEXT_CHARS = 2000;

function oneLine(text: string) {
  return text.replace(/\s+/g, " ").trim();
}

export function renderClasses(classes: { name: string; description: string }[]) {
  return classes.map((c) => `- ${c.name}: ${oneLine(c.description) || `texts of the class "${c.name}"`}`).join("\n");
}

/** Ids are positions in the batch (1-based): short, and the answer can be checked against them. */
export function renderTexts(texts: string[]) {
  return texts.map((t, i) => `[${i + 1}] ${oneLine(t).slice(0, MAX_TEXT_CHARS)}`).join("\n");
}
