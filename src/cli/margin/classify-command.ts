import { readFile } from "node:fs/promises";
import { CliError } from "@/cli/margin/cli-error";
import { loadCliModel } from "@/cli/margin/cli-model";
import { embedWithProgress } from "@/cli/margin/embed-with-progress";
import { notesOnly, type Progress } from "@/cli/margin/progress";
import { toTextPredictions, type TextPrediction } from "@/server/domain/classify/to-text-predictions";
import { predictWithModel } from "@/server/domain/models/predict-with-model";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

const LONG_RUN = 1_000;

export interface ClassifyOptions {
  load: string;
  file?: string;
  json?: boolean;
}

/**
 * Lamini's printout: one block per text with data, prediction and the probabilities of every class; a text whose
 * top probability is under its class's threshold (a model trained with --target-precision/--target-recall) gets
 * `"unsure": true`, as the HTTP API answers.
 */
function formatPrediction(p: TextPrediction): string {
  const probabilities = Object.entries(p.probabilities)
    .map(([name, value]) => `${JSON.stringify(name)}: ${value.toFixed(4)}`)
    .join(", ");
  const unsure = p.unsure ? `,\n "unsure": true` : "";
  return `{"data": ${JSON.stringify(p.data)},\n "prediction": ${JSON.stringify(p.prediction)}${unsure},\n "probabilities": {${probabilities}}}`;
}

/** `texts`: in the order given on the command line (positional and --data); then the lines of --file. */
export async function classifyCommand(
  texts: string[],
  options: ClassifyOptions,
  log: (line: string) => void,
  longProgress: Progress,
) {
  const all = [...texts];
  if (options.file) {
    let content: string;
    try {
      content = await readFile(options.file, "utf8");
    } catch (error) {
      throw new CliError(
        `Cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      );
    }
    all.push(...content.split(/\r?\n/).filter((line) => line.trim() !== ""));
  }
  if (all.length === 0) throw new CliError('Nothing to classify: pass texts, --data "…" or --file texts.txt');
  const model = await loadCliModel(options.load);
  // A few texts take a second; a file of thousands is worth a bar.
  const progress = all.length >= LONG_RUN ? longProgress : notesOnly(longProgress);
  progress.phase(`loading the featurizer ${model.featurizerId}`);
  const featurizer = await getFeaturizer(model.featurizerId);
  const predicted = await predictWithModel(model, all, (t) =>
    embedWithProgress(featurizer, t, progress, "classifying"),
  );
  progress.end();
  for (const p of toTextPredictions(all, model.classes, model.task, {
    probabilities: predicted.proba,
    top: predicted.top,
    unsure: predicted.unsure,
    on: predicted.on,
  })) {
    log(options.json ? JSON.stringify(p) : formatPrediction(p));
  }
}
