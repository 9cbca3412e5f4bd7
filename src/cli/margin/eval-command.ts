import { evaluateSingleLabel } from "@/ml/metrics";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import { CliError } from "@/cli/margin/cli-error";
import { EXIT_FAILED } from "@/server/error-table";
import { loadCliModel } from "@/cli/margin/cli-model";
import { embedWithProgress } from "@/cli/margin/embed-with-progress";
import type { Progress } from "@/cli/margin/progress";
import { readLabeledFile } from "@/cli/margin/read-labeled-file";
import { wilsonInterval } from "@/ml/wilson-interval";
import { predictWithModel } from "@/server/domain/models/predict-with-model";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

const pad = (value: string, width: number) => value.padEnd(width);
const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : "  –  ");
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

export interface EvalOptions {
  load: string;
  data: string;
  json?: boolean;
  maxTextLength?: number;
}

/**
 * Scores a saved model on a labeled file: per-class precision/recall/F1 and the averages on every text (the class
 * with the highest probability), and — as the web app's test metrics and the API decide — the share of texts whose
 * top probability is under its class's threshold ("unsure") and the metrics on the texts that were decided.
 */
export async function evalCommand(options: EvalOptions, log: (line: string) => void, progress: Progress) {
  const model = await loadCliModel(options.load);
  const rows = (
    await readLabeledFile(options.data, model.classes.length === 2 ? model.classes : undefined, options.maxTextLength)
  ).filter((r) => r.labels?.length);
  if (rows.length === 0) throw new CliError(`${options.data} has no labeled rows to evaluate on`, EXIT_FAILED);
  const unknown = [...new Set(rows.flatMap((r) => r.labels!).filter((l) => !model.classes.includes(l)))];
  if (unknown.length)
    throw new CliError(
      `${options.data} has classes the model does not know: ${unknown.map((u) => `"${u}"`).join(", ")} (model: ${model.classes.join(", ")})`,
      EXIT_FAILED,
    );
  progress.phase(`loading the featurizer ${model.featurizerId}`);
  const featurizer = await getFeaturizer(model.featurizerId);
  const texts = rows.map((r) => r.text);
  const { proba, top, on, unsure } = await predictWithModel(model, texts, (t) =>
    embedWithProgress(featurizer, t, progress),
  );
  progress.end();
  const K = model.classes.length;
  const n = rows.length;

  if (model.task === "multi-label") {
    const Y = Uint8Array.from(rows.flatMap((r) => model.classes.map((c) => (r.labels!.includes(c) ? 1 : 0))));
    const report = evaluateMultiLabel(Y, on, n, model.classes, proba);
    if (options.json) return log(JSON.stringify({ thresholds: Array.from(model.thresholds), ...report }));
    printTable(report, n, model.classes, log);
    log(
      `subset accuracy ${fmt(report.subsetAccuracy)}  hamming loss ${fmt(report.hammingLoss)}  (${n} texts, ${K} labels)`,
    );
    log(
      `multi-label: a label is on when its probability reaches its threshold (${thresholdText(model.classes, model.thresholds)}); there is no "unsure"`,
    );
    return;
  }

  const y = Int32Array.from(rows.map((r) => model.classes.indexOf(r.labels![0]!)));
  const report = evaluateSingleLabel(y, top, model.classes, proba);
  const decidedRows: number[] = [];
  for (let i = 0; i < n; i++) if (unsure[i] === 0) decidedRows.push(i);
  const decided = decidedRows.length
    ? evaluateSingleLabel(
        Int32Array.from(decidedRows, (i) => y[i]!),
        Int32Array.from(decidedRows, (i) => top[i]!),
        model.classes,
      )
    : undefined;
  const unsureCount = n - decidedRows.length;
  if (options.json) {
    log(
      JSON.stringify({
        ...report,
        unsureRate: unsureCount / n,
        unsure: unsureCount,
        decided: { n: decidedRows.length, ...(decided ?? {}) },
      }),
    );
    return;
  }
  printTable(report, n, model.classes, log);
  const correct = Math.round(report.accuracy * n);
  const [lo, hi] = wilsonInterval(correct, n);
  log(`accuracy ${fmt(report.accuracy)} (95% CI ${fmt(lo)}–${fmt(hi)})  (${n} texts, ${K} classes)`);
  if (model.thresholdPolicy.kind === "default") {
    log("unsure 0 (the model has no thresholds: train with --target-precision or --target-recall to get them)");
    return;
  }
  log(
    `unsure ${unsureCount} of ${n} texts (${percent(unsureCount / n)}): top probability under its class's threshold (${thresholdText(model.classes, model.thresholds)})`,
  );
  if (!decided) return log("decided: none (every text is unsure)");
  const decidedCorrect = Math.round(decided.accuracy * decidedRows.length);
  const [dlo, dhi] = wilsonInterval(decidedCorrect, decidedRows.length);
  log(
    `decided ${decidedRows.length} texts: accuracy ${fmt(decided.accuracy)} (95% CI ${fmt(dlo)}–${fmt(dhi)}), macro precision ${fmt(decided.macro.precision)}, macro recall ${fmt(decided.macro.recall)}, macro-F1 ${fmt(decided.macro.f1)}`,
  );
}

function thresholdText(classes: string[], thresholds: ArrayLike<number>): string {
  return classes.map((c, k) => `${c} ${thresholds[k]! > 1 ? "never" : thresholds[k]!.toFixed(2)}`).join(", ");
}

function printTable(
  report: {
    perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
    macro: { precision: number; recall: number; f1: number };
  },
  n: number,
  classes: string[],
  log: (line: string) => void,
) {
  const width = Math.max(8, ...classes.map((c) => c.length)) + 2;
  log(`${pad("class", width)}precision  recall  f1     support`);
  for (const c of report.perClass)
    log(`${pad(c.label, width)}${pad(fmt(c.precision), 11)}${pad(fmt(c.recall), 8)}${pad(fmt(c.f1), 7)}${c.support}`);
  log(
    `${pad("macro", width)}${pad(fmt(report.macro.precision), 11)}${pad(fmt(report.macro.recall), 8)}${pad(fmt(report.macro.f1), 7)}${n}`,
  );
}
