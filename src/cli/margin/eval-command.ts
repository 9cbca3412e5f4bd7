import { evaluateSingleLabel } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { CliError, EXIT_FAILED } from "@/cli/margin/cli-error";
import { loadCliModel } from "@/cli/margin/cli-model";
import { readLabeledFile } from "@/cli/margin/read-labeled-file";
import { predictWithModel } from "@/server/domain/models/predict-with-model";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

const pad = (value: string, width: number) => value.padEnd(width);
const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : "  –  ");

/** Scores a saved model on a labeled file and prints per-class precision/recall/F1 and the averages. */
export async function evalCommand(options: { load: string; data: string; json?: boolean }, log: (line: string) => void) {
  const model = await loadCliModel(options.load);
  const rows = (await readLabeledFile(options.data, model.classes.length === 2 ? model.classes : undefined)).filter((r) => r.labels?.length);
  if (rows.length === 0) throw new CliError(`${options.data} has no labeled rows to evaluate on`, EXIT_FAILED);
  const unknown = [...new Set(rows.flatMap((r) => r.labels!).filter((l) => !model.classes.includes(l)))];
  if (unknown.length) throw new CliError(`${options.data} has classes the model does not know: ${unknown.map((u) => `"${u}"`).join(", ")} (model: ${model.classes.join(", ")})`, EXIT_FAILED);
  const featurizer = await getFeaturizer(model.featurizerId);
  const texts = rows.map((r) => r.text);
  const { proba, top, on } = await predictWithModel(model, texts, (t) => featurizer.embed(t));
  const K = model.classes.length;
  const report =
    model.task === "single-label"
      ? evaluateSingleLabel(
          Int32Array.from(rows.map((r) => model.classes.indexOf(r.labels![0]!))),
          top,
          model.classes,
          proba,
        )
      : evaluateMultiLabel(
          Uint8Array.from(rows.flatMap((r) => model.classes.map((c) => (r.labels!.includes(c) ? 1 : 0)))),
          on,
          rows.length,
          model.classes,
          proba,
        );
  if (options.json) {
    log(JSON.stringify(report));
    return;
  }
  const width = Math.max(8, ...model.classes.map((c) => c.length)) + 2;
  log(`${pad("class", width)}precision  recall  f1     support`);
  for (const c of report.perClass) log(`${pad(c.label, width)}${pad(fmt(c.precision), 11)}${pad(fmt(c.recall), 8)}${pad(fmt(c.f1), 7)}${c.support}`);
  log(`${pad("macro", width)}${pad(fmt(report.macro.precision), 11)}${pad(fmt(report.macro.recall), 8)}${pad(fmt(report.macro.f1), 7)}${rows.length}`);
  log("accuracy" in report ? `accuracy ${fmt(report.accuracy)}  (${rows.length} texts, ${K} classes)` : `subset accuracy ${fmt(report.subsetAccuracy)}  hamming loss ${fmt(report.hammingLoss)}  (${rows.length} texts, ${K} labels)`);
}
