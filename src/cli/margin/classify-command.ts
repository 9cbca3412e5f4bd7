import { readFile } from "node:fs/promises";
import { CliError } from "@/cli/margin/cli-error";
import { loadCliModel } from "@/cli/margin/cli-model";
import { toTextPredictions, type TextPrediction } from "@/server/domain/classify/to-text-predictions";
import { predictWithModel } from "@/server/domain/models/predict-with-model";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

export interface ClassifyOptions {
  load: string;
  data?: string[];
  file?: string;
  json?: boolean;
}

/** Lamini's printout: one block per text with data, prediction and the probabilities of every class. */
function formatPrediction(p: TextPrediction): string {
  const probabilities = Object.entries(p.probabilities).map(([name, value]) => `${JSON.stringify(name)}: ${value.toFixed(4)}`).join(", ");
  return `{"data": ${JSON.stringify(p.data)},\n "prediction": ${JSON.stringify(p.prediction)},\n "probabilities": {${probabilities}}}`;
}

export async function classifyCommand(texts: string[], options: ClassifyOptions, log: (line: string) => void) {
  const all = [...texts, ...(options.data ?? [])];
  if (options.file) {
    let content: string;
    try {
      content = await readFile(options.file, "utf8");
    } catch (error) {
      throw new CliError(`Cannot read ${options.file}: ${(error as Error).message}`);
    }
    all.push(...content.split(/\r?\n/).filter((line) => line.trim() !== ""));
  }
  if (all.length === 0) throw new CliError('Nothing to classify: pass texts, --data "…" or --file texts.txt');
  const model = await loadCliModel(options.load);
  const featurizer = await getFeaturizer(model.featurizerId);
  const predicted = await predictWithModel(model, all, (texts) => featurizer.embed(texts));
  const predictions = toTextPredictions(all, model.classes, model.task, { probabilities: predicted.proba, top: predicted.top, unsure: predicted.unsure, on: predicted.on });
  for (const p of predictions) {
    const { unsure: _unsure, ...shown } = p;
    log(options.json ? JSON.stringify(shown) : formatPrediction(p));
  }
}

