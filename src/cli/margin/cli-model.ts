import { readFile, writeFile } from "node:fs/promises";
import { ArtifactError, classifierFromJSON, classifierToJSON } from "@/ml/classifier-artifact";
import type { ClassifierModel } from "@/ml/classifier-model";
import { CliError } from "@/cli/margin/cli-error";

/** What `margin train --save` writes: the classifier artifact plus the class prompts it was trained from. */
interface CliModelFile {
  format: "margin-cli-model";
  version: 1;
  prompts: Record<string, string>;
  classifier: ReturnType<typeof classifierToJSON>;
}

export async function saveCliModel(path: string, model: ClassifierModel, prompts: Record<string, string>) {
  const file: CliModelFile = { format: "margin-cli-model", version: 1, prompts, classifier: classifierToJSON(model) };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads a CLI model file, or a bare classifier artifact (e.g. a model version's artifact exported from Margin). */
export async function loadCliModel(path: string): Promise<ClassifierModel> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read model ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not a model file (not JSON)`);
  }
  const inner = (json as { format?: string; classifier?: unknown }).format === "margin-cli-model" ? (json as CliModelFile).classifier : json;
  try {
    return classifierFromJSON(inner);
  } catch (error) {
    if (error instanceof ArtifactError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}
