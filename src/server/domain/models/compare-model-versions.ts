import { z } from "zod";
import { compareClassifiers, mcnemarExact } from "@/ml/compare-classifiers";
import { multiLabelMacroF1Diff } from "@/ml/multi-label-bootstrap";
import { evaluateMultiLabel } from "@/ml/multi-label-metrics";
import type { Db } from "@/server/db";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { getProject } from "@/server/domain/projects/get-project";
import { loadLabeledItems } from "@/server/domain/training/load-labeled-items";
import { AppError } from "@/server/errors";

export const compareModelVersionsInput = z.object({ a: z.number().int().positive(), b: z.number().int().positive() });

const SIGNIFICANCE = 0.05;
const MAX_DISAGREEMENTS = 200;

/**
 * A/B of two versions on the same frozen test items, with the labels they carry now: per-class deltas, McNemar's
 * exact test on the items exactly one version gets right, a paired bootstrap CI of the macro-F1 difference, the
 * items they disagree on, and a verdict in plain words.
 */
export async function compareModelVersions(db: Db, input: z.input<typeof compareModelVersionsInput>) {
  const { a, b } = compareModelVersionsInput.parse(input);
  if (a === b) throw new AppError("INVALID_INPUT", "Pick two different versions to compare");
  const [va, vb] = await Promise.all([db.modelVersion.findUnique({ where: { id: a } }), db.modelVersion.findUnique({ where: { id: b } })]);
  if (!va || !vb) throw new AppError("NOT_FOUND", `Model version ${!va ? a : b} does not exist`);
  if (va.projectId !== vb.projectId) throw new AppError("INVALID_INPUT", "Both versions must belong to the same project");
  const project = await getProject(db, va.projectId);
  const classes = project.classes;
  const index = new Map(classes.map((c, k) => [c.id, k]));
  const { test } = await loadLabeledItems(db, project.id, { includeGenerated: false, withText: true });
  const multi = project.taskType === "multilabel";
  const items = test
    .filter((item) => (multi ? item.classIds.every((id) => index.has(id)) : item.classIds.length > 0 && index.has(item.classIds[0]!)))
    .map((item) => ({ ...item, text: item.text! })); // loaded withText
  if (items.length === 0) throw new AppError("PRECONDITION_FAILED", "No labeled test items yet: label some items of the test split (the queue's random share does) before comparing");

  const [pa, pb] = await Promise.all([predictWithVersion(db, va, items), predictWithVersion(db, vb, items)]);
  const K = classes.length;
  // A class a version does not know (created after it was trained) maps to an extra "other" slot: always wrong.
  const OTHER = K;
  const names = [...classes.map((c) => c.name), "(other)"];
  const versionNames = { a: `v${va.number}`, b: `v${vb.number}` };

  let summary;
  if (!multi) {
    const yTrue = Int32Array.from(items, (item) => index.get(item.classIds[0]!)!);
    const predA = Int32Array.from(pa.predicted, (p) => index.get(p[0]!) ?? OTHER);
    const predB = Int32Array.from(pb.predicted, (p) => index.get(p[0]!) ?? OTHER);
    const c = compareClassifiers(yTrue, predA, predB, names, { seed: a * 7919 + b });
    summary = {
      n: c.n,
      metricName: "macro-F1",
      a: { accuracy: c.accuracyA, macroF1: c.macroF1A },
      b: { accuracy: c.accuracyB, macroF1: c.macroF1B },
      perClass: c.perClass.filter((row) => row.label !== "(other)"),
      mcnemar: c.mcnemar,
      macroF1Diff: c.macroF1Diff,
      disagreementRows: c.disagreements,
    };
  } else {
    const Y = new Uint8Array(items.length * K);
    items.forEach((item, i) => item.classIds.forEach((id) => (Y[i * K + index.get(id)!] = 1)));
    const toMatrix = (predicted: number[][]) => {
      const M = new Uint8Array(items.length * K);
      predicted.forEach((ids, i) => ids.forEach((id) => index.has(id) && (M[i * K + index.get(id)!] = 1)));
      return M;
    };
    const YA = toMatrix(pa.predicted);
    const YB = toMatrix(pb.predicted);
    const ra = evaluateMultiLabel(Y, YA, items.length, names.slice(0, K));
    const rb = evaluateMultiLabel(Y, YB, items.length, names.slice(0, K));
    const exact = (M: Uint8Array, i: number) => Y.subarray(i * K, i * K + K).every((v, k) => v === M[i * K + k]);
    let bCount = 0;
    let cCount = 0;
    const disagreementRows: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const okA = exact(YA, i);
      const okB = exact(YB, i);
      if (okA && !okB) bCount++;
      if (!okA && okB) cCount++;
      if (YA.subarray(i * K, i * K + K).some((v, k) => v !== YB[i * K + k])) disagreementRows.push(i);
    }
    summary = {
      n: items.length,
      metricName: "macro-F1",
      a: { accuracy: ra.subsetAccuracy, macroF1: ra.macro.f1 },
      b: { accuracy: rb.subsetAccuracy, macroF1: rb.macro.f1 },
      perClass: ra.perClass.map((row, k) => {
        const other = rb.perClass[k]!;
        return { label: row.label, precisionA: row.precision, precisionB: other.precision, recallA: row.recall, recallB: other.recall, f1A: row.f1, f1B: other.f1, f1Delta: other.f1 - row.f1 };
      }),
      mcnemar: { b: bCount, c: cCount, pValue: mcnemarExact(bCount, cCount) },
      macroF1Diff: multiLabelMacroF1Diff(Y, YA, YB, items.length, K, { seed: a * 7919 + b }),
      disagreementRows,
    };
  }

  const better = summary.perClass.filter((row) => row.f1Delta > 1e-9).length;
  const worse = summary.perClass.filter((row) => row.f1Delta < -1e-9).length;
  const diff = summary.b.macroF1 - summary.a.macroF1;
  const p = summary.mcnemar.pValue;
  const leader = diff >= 0 ? versionNames.b : versionNames.a;
  const verdict =
    Math.abs(diff) < 1e-9 && summary.mcnemar.b === summary.mcnemar.c
      ? `${versionNames.a} and ${versionNames.b} perform the same on ${summary.n} test items.`
      : `${leader} is better on ${diff >= 0 ? better : worse} of ${summary.perClass.length} classes (macro-F1 ${(summary.a.macroF1 * 100).toFixed(1)}% → ${(summary.b.macroF1 * 100).toFixed(1)}%); ` +
        (p < SIGNIFICANCE ? `the difference is significant at p = ${formatP(p)}.` : `the difference is not significant (p = ${formatP(p)}, ${summary.n} test items): treat them as equivalent or label more test items.`);

  const disagreements = summary.disagreementRows.slice(0, MAX_DISAGREEMENTS).map((i) => ({
    itemId: items[i]!.itemId,
    text: items[i]!.text,
    labelClassIds: items[i]!.classIds,
    predictedA: pa.predicted[i]!,
    predictedB: pb.predicted[i]!,
  }));
  const { disagreementRows, ...rest } = summary;
  return {
    projectId: project.id,
    a: { id: va.id, number: va.number, ...rest.a },
    b: { id: vb.id, number: vb.number, ...rest.b },
    n: rest.n,
    perClass: rest.perClass,
    mcnemar: rest.mcnemar,
    macroF1Diff: rest.macroF1Diff,
    significant: p < SIGNIFICANCE,
    verdict,
    disagreementCount: disagreementRows.length,
    disagreements,
    classes: classes.map((c) => ({ id: c.id, name: c.name, color: c.color })),
  };
}

function formatP(p: number) {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
