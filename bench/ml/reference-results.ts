/**
 * The scikit-learn TF-IDF + logistic regression reference (bench/ml/reference/tfidf_lr.py), read from its committed
 * results so TS benchmarks can print Margin's numbers next to it without Python installed.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const REFERENCE_RESULTS_FILE = path.resolve("bench/results/reference-tfidf-lr.json");

const datasetSchema = z.object({
  task: z.enum(["single-label", "multi-label"]),
  nTrain: z.number(),
  nTest: z.number(),
  features: z.object({ word: z.number(), char: z.number() }),
  nnzPerTrainRow: z.number(),
  /** Single-label only. */
  accuracy: z.number().optional(),
  /** In [0, 1]. */
  macroF1: z.number(),
  /** Multi-label only (threshold 0.5). */
  microF1: z.number().optional(),
  subsetAccuracy: z.number().optional(),
  vectorizeSeconds: z.number(),
  lrFitSeconds: z.number(),
  fitSeconds: z.number(),
});
const resultsSchema = z.object({
  generatedBy: z.string(),
  pipeline: z.string(),
  versions: z.record(z.string(), z.string()),
  datasets: z.record(z.string(), datasetSchema),
});
export type ReferenceResults = z.infer<typeof resultsSchema>;
export type ReferenceDatasetResult = z.infer<typeof datasetSchema>;

export function loadReferenceResults(file: string = REFERENCE_RESULTS_FILE): ReferenceResults {
  const parsed = resultsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: not a tfidf_lr.py result file: ${parsed.error.message}`);
  return parsed.data;
}
