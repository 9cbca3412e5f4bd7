import { z } from "zod";
import type { Db } from "@/server/db";
import { currentEvaluations } from "@/server/domain/evaluation/current-evaluations";
import { comparePaired } from "@/server/domain/evaluation/paired-comparison";
import { getProject } from "@/server/domain/projects/get-project";
import { AppError } from "@/server/errors";

export const compareModelVersionsInput = z.object({ a: z.number().int().positive(), b: z.number().int().positive() });

const MAX_DISAGREEMENTS = 200;

const pt = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;

/**
 * A/B of two versions on the project's current labeled test set, from the very evaluations the Models table shows
 * (current-evaluations.ts), so each version's figures here are the table's: per-class deltas, the paired bootstrap
 * interval of the macro-F1 difference, McNemar's exact test on the items exactly one gets right, the items they
 * disagree on, and one verdict from the one rule (paired-comparison.ts): better / worse only when the whole
 * interval is on one side of 0.
 */
export async function compareModelVersions(db: Db, input: z.input<typeof compareModelVersionsInput>) {
  const { a, b } = compareModelVersionsInput.parse(input);
  if (a === b) throw new AppError("INVALID_INPUT", "Pick two different versions to compare");
  const [va, vb] = await Promise.all([
    db.modelVersion.findUnique({ where: { id: a } }),
    db.modelVersion.findUnique({ where: { id: b } }),
  ]);
  if (!va || !vb) throw new AppError("NOT_FOUND", `Model version ${!va ? a : b} does not exist`);
  if (va.projectId !== vb.projectId)
    throw new AppError("INVALID_INPUT", "Both versions must belong to the same project");
  for (const v of [va, vb])
    if (v.status !== "ready")
      throw new AppError("PRECONDITION_FAILED", `Version v${v.number} is ${v.status}, not ready`);
  const project = await getProject(db, va.projectId);
  const current = await currentEvaluations(db, project.id, { versionIds: [va.id, vb.id] });
  if (current.items.length === 0)
    throw new AppError(
      "PRECONDITION_FAILED",
      "No labeled test items yet: label some items of the test split (the queue's random share does) before comparing",
    );
  const ea = current.byVersion.get(va.id);
  const eb = current.byVersion.get(vb.id);
  if (!ea || !eb) {
    const [v, e] = !ea ? [va, current.errors.get(va.id)] : [vb, current.errors.get(vb.id)];
    throw new AppError("UNAVAILABLE", `v${v.number} could not be measured on the test set${e ? `: ${e}` : ""}`);
  }
  const c = comparePaired(
    current.items,
    current.classIds,
    { versionId: va.id, evaluation: ea },
    { versionId: vb.id, evaluation: eb },
  );
  const na = `v${va.number}`;
  const nb = `v${vb.number}`;
  const classById = (e: typeof ea, id: number) => e.perClass.find((row) => row.classId === id);
  const perClass = project.classes.map((cls) => {
    const ra = classById(ea, cls.id);
    const rb = classById(eb, cls.id);
    const f1A = ra?.f1 ?? 0;
    const f1B = rb?.f1 ?? 0;
    return {
      label: cls.name,
      precisionA: ra?.precision ?? 0,
      precisionB: rb?.precision ?? 0,
      recallA: ra?.recall ?? 0,
      recallB: rb?.recall ?? 0,
      f1A,
      f1B,
      f1Delta: f1B - f1A,
    };
  });
  const [lo, hi] = c.macroF1Diff.ci95;
  const figures = `macro-F1 ${(ea.macroF1 * 100).toFixed(1)}% → ${(eb.macroF1 * 100).toFixed(1)}%, difference ${pt(c.macroF1Diff.estimate)} points (95% interval ${pt(lo)} to ${pt(hi)}) on ${c.n} test items`;
  const verdict =
    c.verdict === "better"
      ? `${nb} is better than ${na}: ${figures}.`
      : c.verdict === "worse"
        ? `${nb} is worse than ${na}: ${figures}.`
        : `No difference the test set can detect between ${na} and ${nb}: ${figures}; the interval includes 0 — treat them as equivalent or label more test items${current.testSet.n < current.testSet.target ? ` (test set ${current.testSet.n} / ${current.testSet.target})` : ""}.`;
  const disagreements = c.disagreements.slice(0, MAX_DISAGREEMENTS).map((i) => ({
    itemId: current.items[i]!.itemId,
    text: current.items[i]!.text,
    labelClassIds: current.items[i]!.classIds,
    predictedA: ea.predicted[i]!,
    predictedB: eb.predicted[i]!,
  }));
  return {
    projectId: project.id,
    a: {
      id: va.id,
      number: va.number,
      accuracy: ea.accuracy,
      accuracyCi: ea.accuracyCi,
      macroF1: ea.macroF1,
      macroF1Ci: ea.macroF1Ci,
    },
    b: {
      id: vb.id,
      number: vb.number,
      accuracy: eb.accuracy,
      accuracyCi: eb.accuracyCi,
      macroF1: eb.macroF1,
      macroF1Ci: eb.macroF1Ci,
    },
    n: c.n,
    testSet: { n: current.testSet.n, target: current.testSet.target },
    perClass,
    mcnemar: c.mcnemar,
    macroF1Diff: c.macroF1Diff,
    outcome: c.verdict,
    significant: c.verdict !== "no-difference",
    verdict,
    disagreementCount: c.disagreements.length,
    disagreements,
    classes: project.classes.map((cls) => ({ id: cls.id, name: cls.name, color: cls.color })),
  };
}
