import { describe, expect, it } from "vitest";
import { ArtifactError, classifierFromJSON, classifierToJSON } from "@/ml/classifier-artifact";
import { classifyMultiLabel, classifySingleLabel } from "@/ml/classifier-model";
import { computeLogits, logitsToProbaInPlace, predictProba } from "@/ml/linear-model";
import { expectedCalibrationError } from "@/ml/metrics";
import { createRng } from "@/ml/rng";
import { fitTemperature } from "@/ml/temperature-scaling";
import { MULTI_LABEL_MIN_STRATUM, targetStrata, trainClassifier } from "@/ml/train-classifier";
import { trainHybridClassifier } from "@/ml/train-hybrid-classifier";
import { expectClose } from "../../helpers/expect-close";

function noisyData(n: number, d: number, K: number, seed: number): { X: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % K;
    for (let j = 0; j < d; j++) X[i * d + j] = gauss() + (j === y[i] ? 1.2 : 0);
  }
  return { X, y };
}

describe("temperature scaling", () => {
  it("recovers the temperature of an over-confident fixture and reduces ECE", () => {
    const rng = createRng(11);
    const n = 4000,
      K = 3;
    const logits = new Float32Array(n * K);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const z = [rng.next() * 3, rng.next() * 3, rng.next() * 3];
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      const u = rng.next() * s;
      y[i] = u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
      for (let k = 0; k < K; k++) logits[i * K + k] = 3 * z[k]!; // over-confident by 3×
    }
    const T = fitTemperature(logits, n, K, "single-label", y);
    expectClose(T, 3, { rel: 0.1 });
    const before = expectedCalibrationError(
      logitsToProbaInPlace(Float32Array.from(logits), n, K, "single-label", 1),
      y,
      n,
      K,
    );
    const after = expectedCalibrationError(
      logitsToProbaInPlace(Float32Array.from(logits), n, K, "single-label", T),
      y,
      n,
      K,
    );
    expect(after).toBeLessThan(before / 2);
    expect(fitTemperature(new Float32Array(0), 0, 3, "single-label", new Int32Array(0))).toBe(1);
  });
});

describe("trainClassifier + artifact", () => {
  const { X, y } = noisyData(600, 5, 3, 2);
  const classes = ["neg", "neu", "pos"];

  it("cross-validates, calibrates and reports held-out metrics", () => {
    const progress: string[] = [];
    const { model, oofProba } = trainClassifier(
      X,
      600,
      5,
      classes,
      { task: "single-label", y },
      {
        featurizerId: "test@1",
        seed: 1,
        onProgress: (done, total, phase) => progress.push(`${done}/${total} ${phase}`),
      },
    );
    expect(progress).toEqual([
      "1/6 calibration",
      "2/6 calibration",
      "3/6 calibration",
      "4/6 calibration",
      "5/6 calibration",
      "6/6 final",
    ]);
    expect(model.metrics.folds).toBe(5);
    expect(model.temperature).toBeGreaterThan(0);
    expect(oofProba!.length).toBe(600 * 3);
    const cv = model.metrics.crossValidated as { accuracy: number };
    expect(cv.accuracy).toBeGreaterThan(0.6);
    // Default thresholds: never unsure; labels always valid.
    const d = classifySingleLabel(model, X, 600);
    expect(d.unsure.every((u) => u === 0)).toBe(true);
    expect(d.labels.every((l) => l >= 0 && l < 3)).toBe(true);
  });

  it("target precision sets thresholds that make low-confidence predictions unsure", () => {
    const { model } = trainClassifier(
      X,
      600,
      5,
      classes,
      { task: "single-label", y },
      { featurizerId: "test@1", target: { precision: 0.95 } },
    );
    expect(model.thresholdPolicy).toEqual({ kind: "target-precision", target: 0.95 });
    const d = classifySingleLabel(model, X, 600);
    let sure = 0,
      sureCorrect = 0;
    for (let i = 0; i < 600; i++)
      if (!d.unsure[i]) {
        sure++;
        if (d.labels[i] === y[i]) sureCorrect++;
      }
    expect(sure).toBeGreaterThan(0);
    expect(sure).toBeLessThan(600);
    expect(sureCorrect / sure).toBeGreaterThan(0.9);
  });

  it("round-trips through JSON with identical predictions and rejects unknown versions", () => {
    const { model } = trainClassifier(
      X,
      600,
      5,
      classes,
      { task: "single-label", y },
      { featurizerId: "glove-sif-200@1" },
    );
    const json = JSON.stringify(classifierToJSON(model));
    const back = classifierFromJSON(JSON.parse(json));
    expect(back.featurizerId).toBe("glove-sif-200@1");
    expect(back.classes).toEqual(classes);
    expect(Array.from(predictProba(back, X, 600))).toEqual(Array.from(predictProba(model, X, 600)));
    expect(Array.from(computeLogits(back, X, 10))).toEqual(Array.from(computeLogits(model, X, 10)));
    const future = { ...JSON.parse(json), version: 99 };
    expect(() => classifierFromJSON(future)).toThrow(ArtifactError);
    try {
      classifierFromJSON(future);
    } catch (e) {
      expect((e as ArtifactError).code).toBe("ARTIFACT_UNKNOWN_VERSION");
    }
    expect(() => classifierFromJSON({ format: "other" })).toThrow(/not a Margin classifier/);
    const truncated = { ...JSON.parse(json), weights: "AAAA" };
    expect(() => classifierFromJSON(truncated)).toThrow(/weights/);
  });

  it("trains and thresholds a multi-label classifier", () => {
    const Y = new Uint8Array(600 * 3);
    for (let i = 0; i < 600; i++) {
      Y[i * 3 + y[i]!] = 1;
      if (X[i * 5 + 4]! > 1) Y[i * 3 + ((y[i]! + 1) % 3)] = 1;
    }
    const { model } = trainClassifier(
      X,
      600,
      5,
      classes,
      { task: "multi-label", Y },
      { featurizerId: "t@1", classWeight: "balanced" },
    );
    const cv = model.metrics.crossValidated as { micro: { f1: number }; hammingLoss: number };
    expect(cv.micro.f1).toBeGreaterThan(0.5);
    const out = classifyMultiLabel(model, X, 600);
    expect(out.labels.length).toBe(1800);
    const back = classifierFromJSON(classifierToJSON(model));
    expect(back.task).toBe("multi-label");
  });

  it("trains with a single class without crashing", () => {
    const { model } = trainClassifier(
      X.subarray(0, 50),
      10,
      5,
      ["only"],
      { task: "single-label", y: new Int32Array(10) },
      { featurizerId: "t@1" },
    );
    expect(model.metrics.folds).toBe(0);
    expectClose(predictProba(model, X, 3), [1, 1, 1], { abs: 1e-9 });
  });
});

describe("multi-label cross-validation with a rare label", () => {
  // 200 rows, 3 labels; label 0 is the first positive of one row only (the rest start with label 1 or 2), which
  // capped the folds at 1 and switched cross-validation off.
  const n = 200;
  const K = 3;
  const d = 6;
  const rng = createRng(5);
  const X = new Float32Array(n * d);
  const Y = new Uint8Array(n * K);
  for (let i = 0; i < n; i++) {
    const k = i < 1 ? 0 : 1 + (i % 2);
    Y[i * K + k] = 1;
    if (i % 7 === 0) Y[i * K + 2] = 1;
    for (let j = 0; j < d; j++) X[i * d + j] = rng.next() - 0.5 + (j === k ? 1.5 : 0);
  }
  const targets = { task: "multi-label" as const, Y };

  it("pools first positives rarer than the minimum stratum into the largest stratum", () => {
    const strata = targetStrata(targets, n, K);
    const sizes = new Map<number, number>();
    for (const s of strata) sizes.set(s, (sizes.get(s) ?? 0) + 1);
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(MULTI_LABEL_MIN_STRATUM);
  });

  it("still cross-validates (out-of-fold probabilities, a fitted temperature), plain and hybrid", () => {
    const classes = ["rare", "b", "c"];
    const plain = trainClassifier(X, n, d, classes, targets, { featurizerId: "test", seed: 1 });
    expect(plain.oofProba).not.toBeNull();
    const hybrid = trainHybridClassifier({ n, dense: X, d, sparse: null }, classes, targets, {
      featurizerId: "test",
      seed: 1,
    });
    expect(hybrid.oofProba).not.toBeNull();
    expect(hybrid.model.metrics.calibration).toMatchObject({ kind: "temperature-oof" });
  });
});
