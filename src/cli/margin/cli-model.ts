import { readFile, writeFile } from "node:fs/promises";
import { ArtifactError, classifierFromJSON, classifierToJSON } from "@/ml/classifier-artifact";
import type { ClassifierModel } from "@/ml/classifier-model";
import { CliError } from "@/cli/margin/cli-error";

/**
 * Where a model's LLM-generated examples came from: generated in this run (and saved to `file`), or read back from
 * an examples file written by an earlier run (`--examples`), so a model can always be traced to reviewable text.
 */
export type ExamplesProvenance =
  | {
      source: "generated";
      file: string;
      perClass: Record<string, number>;
      llm: { model: string; endpoint: string; seed: number; requested: number; requests: number };
    }
  | { source: "examples-file"; file: string; perClass: Record<string, number> };

/** What `margin train --save` writes: the classifier artifact plus the class prompts it was trained from. */
interface CliModelFile {
  format: "margin-cli-model";
  version: 1;
  prompts: Record<string, string>;
  /** Present when the model was trained on generated examples. */
  examples?: ExamplesProvenance;
  classifier: ReturnType<typeof classifierToJSON>;
}

export async function saveCliModel(
  path: string,
  model: ClassifierModel,
  prompts: Record<string, string>,
  examples?: ExamplesProvenance,
) {
  const file: CliModelFile = {
    format: "margin-cli-model",
    version: 1,
    prompts,
    ...(examples ? { examples } : {}),
    classifier: classifierToJSON(model),
  };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Reads a CLI model file, or a bare classifier artifact (e.g. a model version's artifact exported from Margin). */
export async function loadCliModel(path: string): Promise<ClassifierModel> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(
      `Cannot read model ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not a model file (not JSON)`);
  }
  const inner =
    (json as { format?: string; classifier?: unknown }).format === "margin-cli-model"
      ? (json as CliModelFile).classifier
      : json;
  try {
    return classifierFromJSON(inner);
  } catch (error) {
    if (error instanceof ArtifactError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}
