import { writeFile } from "node:fs/promises";

/**
 * Writes examples in Lamini's examples.jsonl shape — one line per class, `{"class_name", "examples": [...]}` — the
 * file `margin train --examples`, `--data` and Margin's import all read, so generated examples can be reviewed,
 * edited and reused without asking the LLM again.
 */
export async function writeExamplesFile(file: string, classes: { name: string; examples: string[] }[]): Promise<void> {
  const lines = classes.map((c) => JSON.stringify({ class_name: c.name, examples: c.examples }));
  await writeFile(file, lines.length ? `${lines.join("\n")}\n` : "");
}
