import { describe, expect, it } from "vitest";
import {
  CLASSIFIER_ARTIFACT_VERSION,
  CLASSIFIER_ARTIFACT_VERSION_SPARSE,
  classifierFromJSON,
  classifierToJSON,
} from "@/ml/classifier-artifact";
import { classifyRows, classifySingleLabel, computeLogitsRows, predictProbaRows } from "@/ml/classifier-model";
import type { FeatureRows } from "@/ml/feature-rows";
import { fitClassifier } from "@/ml/fit-classifier";
import { float16BitsToFloat32, float32ToFloat16Bits } from "@/ml/float16-bits";
import { predictProba } from "@/ml/linear-model";
import { fitNgramVocabulary, ngramMatrix } from "@/ml/ngram-vocabulary";
import { createRng } from "@/ml/rng";
import { trainClassifier } from "@/ml/train-classifier";
import {
  oneSeMembers,
  trainHybridClassifier,
  type CalibrationRecord,
  type SelectionRecord,
} from "@/ml/train-hybrid-classifier";
import { expectClose } from "../../helpers/expect-close";

const WORDS: Record<string, string[]> = {
  sport: ["match", "goal", "team", "coach", "league", "score", "player", "season"],
  money: ["bank", "loan", "price", "market", "stock", "budget", "profit", "invest"],
  tech: ["chip", "software", "robot", "laptop", "network", "code", "server", "phone"],
};
const FILLER = ["the", "a", "today", "new", "big", "report", "said", "about", "this", "week"];

/** Texts mixing two class words with filler, a class-dependent dense vector with noise, and 10% label noise. */
function corpus(
  n: number,
  seed: number,
  d = 8,
): { texts: string[]; y: Int32Array; dense: Float32Array; classes: string[] } {
  const rng = createRng(seed);
  const classes = Object.keys(WORDS);
  const texts: string[] = [];
  const y = new Int32Array(n);
  const dense = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const w = WORDS[classes[c]!]!;
    const words = [
      FILLER[rng.int(FILLER.length)]!,
      w[rng.int(w.length)]!,
      FILLER[rng.int(FILLER.length)]!,
      w[rng.int(w.length)]!,
    ];
    texts.push(words.join(" "));
    y[i] = rng.next() < 0.1 ? rng.int(3) : c;
    for (let j = 0; j < d; j++) dense[i * d + j] = (j % 3 === c ? 0.6 : 0) + (rng.next() - 0.5);
  }
  return { texts, y, dense, classes };
}

describe("trainHybridClassifier", () => {
  const data = corpus(150, 1);
  const vocab = fitNgramVocabulary({ dfTexts: data.texts });
  const sparse = ngramMatrix(vocab, data.texts);
  const rows: FeatureRows = { n: 150, dense: data.dense, d: 8, sparse };
  const targets = { task: "single-label" as const, y: data.y };

  it("selects λ and α by tempered out-of-fold log-loss and records the grid", () => {
    const { model, oofProba } = trainHybridClassifier(rows, data.classes, targets, {
      featurizerId: "glove-sif-200@1+ngram@1",
      vocabulary: vocab,
      seed: 3,
    });
    const sel = model.metrics.selection as SelectionRecord;
    expect(sel.mode).toBe("folds");
    expect(sel.folds).toBe(5);
    // Two families: the dense block alone (α = 0, C walked from 20), then the hybrid (α walked from 1 at C 20, then C).
    expect(sel.grid[0]).toMatchObject({ C: 20, blockWeight: 0 });
    expect(sel.grid.some((g) => g.C === 20 && g.blockWeight === 1)).toBe(true);
    expect(sel.grid.filter((g) => g.blockWeight === 0).length).toBeGreaterThanOrEqual(2);
    expect(sel.grid.filter((g) => g.blockWeight !== 0).length).toBeGreaterThanOrEqual(3);
    // One-standard-error rule: the chosen setting is within one SE of the best, and no eligible setting has a smaller C.
    const best = sel.grid.reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
    const bar = best.logLoss + best.logLossSE;
    const chosen = sel.grid.find((g) => g.C === sel.C && g.blockWeight === sel.blockWeight)!;
    expect(chosen.logLoss).toBeLessThanOrEqual(bar);
    for (const g of sel.grid) if (g.logLoss <= bar) expect(g.C).toBeGreaterThanOrEqual(chosen.C);
    expectClose(sel.l2, 1 / (chosen.C * 150), { rel: 1e-12 });
    // k-fold mode averages the most regularized settings within one SE (at most 5), the chosen one first.
    const eligible = sel.grid.filter((g) => g.logLoss <= bar);
    expect(sel.scoring).toBe("tempered-log-loss-1se-average");
    expect(sel.members!.length).toBe(Math.min(5, eligible.length));
    expect(sel.members![0]).toEqual({ C: chosen.C, blockWeight: chosen.blockWeight });
    for (const mb of sel.members!)
      expect(eligible.some((g) => g.C === mb.C && g.blockWeight === mb.blockWeight)).toBe(true);
    const notTaken = eligible.filter(
      (g) => !sel.members!.some((mb) => mb.C === g.C && mb.blockWeight === g.blockWeight),
    );
    for (const g of notTaken) expect(g.C).toBeGreaterThanOrEqual(Math.max(...sel.members!.map((mb) => mb.C)));
    // Served with α = 1: the members' sparse weights carry their own α.
    if (sel.members!.every((mb) => mb.blockWeight === 0)) expect(model.sparse).toBeUndefined();
    else expect(model.sparse!.blockWeight).toBe(1);
    for (const g of sel.grid) expect(Number.isFinite(g.logLoss) && g.macroF1 > 0.3).toBe(true);
    expect(oofProba!.length).toBe(150 * 3);
    const cal = model.metrics.calibration as CalibrationRecord;
    expect(cal.kind).toBe("temperature-oof");
    expect(cal.tooLittleData).toBe(false);
    expect((model.metrics.crossValidated as { accuracy: number }).accuracy).toBeGreaterThan(0.75);
  });

  it("serves the members' tempered logits averaged; off: the single one-standard-error pick", () => {
    const opts = { featurizerId: "x", vocabulary: vocab, seed: 3, float16: false };
    const avg = trainHybridClassifier(rows, data.classes, targets, opts).model;
    const sel = avg.metrics.selection as SelectionRecord;
    const members = sel.members!;
    expect(members.length).toBeGreaterThan(1);
    // Each member alone, its raw logits over its grid temperature, averaged. (A lone fit starts its final fit from its
    // last fold's model, the member's from scratch: the optimizers stop a few thousandths apart.)
    const expected = new Float32Array(150 * 3);
    for (const mb of members) {
      const alone = trainHybridClassifier(rows, data.classes, targets, {
        ...opts,
        grid: { C: [mb.C] },
        blockWeight: mb.blockWeight!,
      }).model;
      const T = sel.grid.find((g) => g.C === mb.C && g.blockWeight === mb.blockWeight)!.temperature;
      const z = computeLogitsRows(alone, rows);
      for (let j = 0; j < z.length; j++) expected[j]! += z[j]! / T / members.length;
    }
    expectClose(computeLogitsRows(avg, rows), expected, { abs: 0.02 });
    // Its temperature is fit on the averaged out-of-fold logits: probabilities sum to one, the model is calibrated.
    expect((avg.metrics.calibration as CalibrationRecord).kind).toBe("temperature-oof");

    // Off: the first member alone, as the one-standard-error rule picks it.
    const single = trainHybridClassifier(rows, data.classes, targets, { ...opts, averageWithinOneSe: false }).model;
    const singleSel = single.metrics.selection as SelectionRecord;
    expect(singleSel.scoring).toBe("tempered-log-loss-1se");
    expect(singleSel.members).toBeUndefined();
    expect({ C: singleSel.C, blockWeight: singleSel.blockWeight }).toEqual(members[0]);
  });

  it("serves the members oneSeMembers names from the scored settings, for each rule variant", () => {
    for (const selectionRule of [{}, { se: "paired" as const }, { order: "spread" as const, maxMembers: 3 }]) {
      let scored: Parameters<typeof oneSeMembers>[0] = [];
      const { model } = trainHybridClassifier(rows, data.classes, targets, {
        featurizerId: "x",
        vocabulary: vocab,
        seed: 3,
        selectionRule,
        onSelection: (d) => {
          scored = d.settings;
          expect(d.mode).toBe("folds");
          for (const st of d.settings) expect(st.losses.length).toBe(150);
        },
      });
      const sel = model.metrics.selection as SelectionRecord;
      const expected = oneSeMembers(scored, { se: "unpaired", order: "simpler", ...selectionRule }).slice(
        0,
        "maxMembers" in selectionRule ? selectionRule.maxMembers : 5,
      );
      expect(sel.members ?? [{ C: sel.C, blockWeight: sel.blockWeight }]).toEqual(expected);
    }
  });

  it("scores the grid on one holdout fold above holdoutAbove rows and calibrates on that fold's rows", () => {
    const phases: string[] = [];
    const { model, oofProba, oofRows } = trainHybridClassifier(rows, data.classes, targets, {
      featurizerId: "x",
      vocabulary: vocab,
      holdoutAbove: 100,
      onProgress: (_d, _t, phase) => phases.push(phase),
    });
    const sel = model.metrics.selection as SelectionRecord;
    expect(sel.mode).toBe("holdout");
    expect(sel.folds).toBe(3);
    expect(sel.holdout!.scoredRows).toBe(50);
    // One fold's out-of-fold rows (a stratified third, distinct, in range), not all rows.
    expect(oofRows!.length).toBe(50);
    expect(new Set(oofRows).size).toBe(50);
    expect(oofRows!.every((i) => i >= 0 && i < 150)).toBe(true);
    expect(oofProba!.length).toBe(50 * 3);
    expect(model.metrics.oofRows).toBe(50);
    for (let r = 0; r < 50; r++)
      expectClose(oofProba![r * 3]! + oofProba![r * 3 + 1]! + oofProba![r * 3 + 2]!, 1, { abs: 1e-5 });
    expect((model.metrics.calibration as CalibrationRecord).kind).toBe("temperature-oof");
    // Cross-validated metrics rest on those 50 rows.
    expect((model.metrics.crossValidated as { support?: number; accuracy: number }).accuracy).toBeGreaterThan(0.6);
    // Progress: selection fits, no calibration fit (the holdout fold was scored on all its rows at the chosen
    // setting, so its logits are reused), the final fit last.
    expect(phases.filter((p) => p === "calibration")).toHaveLength(0);
    expect(phases.filter((p) => p === "selection").length).toBeGreaterThan(2);
    expect(phases.at(-1)).toBe("final");
  });

  it("holdout mode: a grid fit on the whole training part predicts every held-out row, not only the scored sample", () => {
    // 6,001 rows in two classes (the third merged into the first, so one stratum is large): the holdout fold has
    // 2,001 rows, of which the grid scores a stratified sample (each stratum's share of 2,000, rounded: 2,000 here),
    // and its training part 4,000 (the grid's cap, so the grid fits train on all of it and no calibration fit runs).
    const big = corpus(6001, 7);
    const y = big.y.map((c) => (c === 2 ? 0 : c));
    const bigVocab = fitNgramVocabulary({ dfTexts: big.texts });
    const phases: string[] = [];
    const { model, oofProba, oofRows } = trainHybridClassifier(
      { n: 6001, dense: big.dense, d: 8, sparse: ngramMatrix(bigVocab, big.texts) },
      ["sport or tech", "money"],
      { task: "single-label", y },
      { featurizerId: "x", vocabulary: bigVocab, onProgress: (_d, _t, phase) => phases.push(phase) },
    );
    const sel = model.metrics.selection as SelectionRecord;
    expect(sel.mode).toBe("holdout");
    expect(sel.holdout).toEqual({ trainRows: 4000, scoredRows: 2000 });
    expect(oofRows!.length).toBe(2001);
    expect(phases.filter((p) => p === "calibration")).toHaveLength(0);
    // Every out-of-fold row has a model's prediction: none is the [0.5, 0.5] of all-zero logits.
    let uniform = 0;
    for (let r = 0; r < 2001; r++) if (Math.abs(oofProba![r * 2]! - 0.5) < 1e-6) uniform++;
    expect(uniform).toBe(0);
    expect((model.metrics.crossValidated as { accuracy: number }).accuracy).toBeGreaterThan(0.8);
  });

  it("a class with a single label trains every fold and is never scored: the other classes still cross-validate", () => {
    // The 150-row corpus plus one text of a fourth class: its one row used to cap the folds at 1 (no selection, no
    // out-of-fold temperature).
    const texts = [...data.texts, "weather rain cloud storm"];
    const v = fitNgramVocabulary({ dfTexts: texts });
    const dense = new Float32Array(151 * 8);
    dense.set(data.dense);
    dense.fill(0.5, 150 * 8);
    const y = Int32Array.from([...data.y, 3]);
    const { model, oofProba, oofRows } = trainHybridClassifier(
      { n: 151, dense, d: 8, sparse: ngramMatrix(v, texts) },
      [...data.classes, "weather"],
      { task: "single-label", y },
      { featurizerId: "x", vocabulary: v },
    );
    const sel = model.metrics.selection as SelectionRecord;
    expect(sel.mode).toBe("folds");
    expect(sel.folds).toBe(5);
    expect(sel.grid.length).toBeGreaterThan(2);
    // Out-of-fold predictions for the 150 rows of the three scored classes, none for the single "weather" row.
    expect(Array.from(oofRows!)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(oofProba!.length).toBe(150 * 4);
    expect(model.metrics.calibration as CalibrationRecord).toMatchObject({
      kind: "temperature-oof",
      tooLittleData: true,
    });
    // The served model trained on the weather row: its text gets the class's highest probability of all 151 rows.
    const P = predictProbaRows(model, { n: 151, dense, d: 8, sparse: ngramMatrix(v, texts) });
    let top = 0;
    for (let r = 1; r < 151; r++) if (P[r * 4 + 3]! > P[top * 4 + 3]!) top = r;
    expect(top).toBe(150);
  });

  it("fitClassifier's small-data path (a dense featurizer, a one-example class) names the out-of-fold rows", () => {
    const X = new Float32Array(151 * 8);
    X.set(data.dense);
    X.fill(0.5, 150 * 8);
    const { oof } = fitClassifier(
      X,
      151,
      8,
      [...data.classes, "weather"],
      { task: "single-label", y: Int32Array.from([...data.y, 3]) },
      { featurizerId: "x", seed: 0 },
    );
    // Mislabel flags and CV metrics read oof.proba row r as training row oof.rows[r]: the one-example row has none.
    expect(Array.from(oof!.rows)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(oof!.proba.length).toBe(150 * 4);
  });

  it("fits sparse-only (dim 0) and dense-only models; decisions follow decideClasses", () => {
    const sp = trainHybridClassifier({ n: 150, dense: null, d: 0, sparse }, data.classes, targets, {
      featurizerId: "ngram@1",
      vocabulary: vocab,
    });
    expect(sp.model.dim).toBe(0);
    expect(sp.model.weights.length).toBe(0);
    const spSel = sp.model.metrics.selection as SelectionRecord;
    expect(spSel.blockWeight).toBeNull(); // α is not searched with one block
    expect(spSel.grid.every((g) => g.blockWeight === null)).toBe(true);
    const out = classifyRows(sp.model, { n: 150, dense: null, d: 0, sparse });
    for (let i = 0; i < 150; i++) expect(out.on[i * 3 + out.top[i]!]).toBe(1);
    const dn = trainHybridClassifier({ n: 150, dense: data.dense, d: 8, sparse: null }, data.classes, targets, {
      featurizerId: "d@1",
    });
    expect(dn.model.sparse).toBeUndefined();
    // A dense-only hybrid model is an ordinary ClassifierModel: the old predict path agrees with the new one.
    expectClose(
      predictProbaRows(dn.model, { n: 150, dense: data.dense, d: 8, sparse: null }),
      predictProba(dn.model, data.dense, 150),
      { abs: 1e-7 },
    );
    expect(() => classifySingleLabel(sp.model, new Float32Array(0), 0)).toThrow(/classifyRows/);
  });

  it("warm start from a previous model reaches the same optimum as a cold start", () => {
    const opts = {
      featurizerId: "x",
      vocabulary: vocab,
      l2: 1e-3,
      blockWeight: 2,
      folds: 0,
      gtol: 1e-7,
      ftol: 1e-14,
      maxIter: 1000,
    };
    const cold = trainHybridClassifier(rows, data.classes, targets, opts);
    const other = trainHybridClassifier(rows, data.classes, targets, { ...opts, l2: 1e-2 });
    const warm = trainHybridClassifier(
      rows,
      [...data.classes].reverse(),
      { task: "single-label", y: Int32Array.from(data.y, (c) => 2 - c) },
      { ...opts, warmStart: other.model },
    );
    const opt = (m: typeof cold.model) => m.metrics.optimizer as { iterations: number; loss: number };
    // The row loops run in f32 (WebAssembly): the loss agrees to single precision.
    expectClose(opt(warm.model).loss, opt(cold.model).loss, { rel: 1e-6 });
    const pc = predictProbaRows({ ...cold.model, temperature: 1 }, rows);
    const pw = predictProbaRows({ ...warm.model, temperature: 1 }, rows);
    for (let i = 0; i < 150; i++)
      for (let k = 0; k < 3; k++) expectClose(pw[i * 3 + 2 - k]!, pc[i * 3 + k]!, { abs: 2e-3 });
    // From its own optimum it has almost nothing left to do.
    const again = trainHybridClassifier(rows, data.classes, targets, {
      ...opts,
      warmStart: cold.model,
      float16: false,
    });
    expect(opt(again.model).iterations).toBeLessThan(opt(cold.model).iterations);
  });

  it("sample weights follow their rows into every fold (all-ones weights change nothing)", () => {
    const opts = { featurizerId: "x", vocabulary: vocab, seed: 2 };
    const plain = trainHybridClassifier(rows, data.classes, targets, opts);
    const ones = trainHybridClassifier(rows, data.classes, targets, {
      ...opts,
      sampleWeight: new Float32Array(150).fill(1),
    });
    expect(Array.from(ones.oofProba!)).toEqual(Array.from(plain.oofProba!));
    expect(Array.from(predictProbaRows(ones.model, rows))).toEqual(Array.from(predictProbaRows(plain.model, rows)));
    expect(() =>
      trainHybridClassifier(rows, data.classes, targets, { ...opts, sampleWeight: new Float32Array(10) }),
    ).toThrow(/sampleWeight/);
  });

  it("round-trips a hybrid model through a version-2 artifact with bit-identical probabilities", () => {
    const { model } = trainHybridClassifier(rows, data.classes, targets, {
      featurizerId: "glove-sif-200@1+ngram@1",
      vocabulary: vocab,
      blockWeight: 2,
      target: { precision: 0.9 },
    });
    const json = classifierToJSON(model);
    expect(json.version).toBe(CLASSIFIER_ARTIFACT_VERSION_SPARSE);
    expect((json as { sparse: { encoding: string } }).sparse.encoding).toBe("float16");
    const back = classifierFromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.sparse!.vocabulary.size).toBe(vocab.size);
    const fresh = ngramMatrix(back.sparse!.vocabulary, data.texts);
    const a = predictProbaRows(model, rows);
    const b = predictProbaRows(back, { ...rows, sparse: fresh });
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(classifyRows(back, rows).unsure)).toEqual(Array.from(classifyRows(model, rows).unsure));
    // A corrupted weight array is refused.
    const bad = JSON.parse(JSON.stringify(json)) as { sparse: { weights: string } };
    bad.sparse.weights = bad.sparse.weights.slice(8);
    expect(() => classifierFromJSON(bad)).toThrow(/sparse.weights/);
  });

  it("still writes and reads version-1 artifacts for dense-only models", () => {
    const { model } = trainClassifier(data.dense, 150, 8, data.classes, targets, { featurizerId: "glove-sif-200@1" });
    const json = classifierToJSON(model);
    expect(json.version).toBe(CLASSIFIER_ARTIFACT_VERSION);
    expect("sparse" in json).toBe(false);
    const back = classifierFromJSON(JSON.stringify(json));
    expect(back.sparse).toBeUndefined();
    expect(Array.from(classifySingleLabel(back, data.dense, 150).proba)).toEqual(
      Array.from(classifySingleLabel(model, data.dense, 150).proba),
    );
  });

  it("trains multi-label hybrids (independent sigmoids)", () => {
    const Y = new Uint8Array(150 * 3);
    for (let i = 0; i < 150; i++) {
      Y[i * 3 + data.y[i]!] = 1;
      if (i % 5 === 0) Y[i * 3 + ((data.y[i]! + 1) % 3)] = 1;
    }
    const { model, oofProba } = trainHybridClassifier(
      rows,
      data.classes,
      { task: "multi-label", Y },
      { featurizerId: "x", vocabulary: vocab },
    );
    expect(model.task).toBe("multi-label");
    expect(oofProba!.length).toBe(450);
    const out = classifyRows(model, rows);
    expect(out.unsure.every((u) => u === 0)).toBe(true);
  });
});

describe("oneSeMembers (the one-standard-error rule)", () => {
  it("unpaired (the default): within the best's mean + its standard error; the best is always eligible", () => {
    const best = Float64Array.from([0.2, 0.4, 0.6, 0.8]); // mean 0.5, SE √(0.0667/4) ≈ 0.129
    const scored = [
      { C: 80, blockWeight: 1, losses: best },
      { C: 20, blockWeight: 1, losses: best.map((v) => v + 0.12) }, // 0.62: in
      { C: 5, blockWeight: 1, losses: best.map((v) => v + 0.14) }, // 0.64: out
    ];
    expect(oneSeMembers(scored, { se: "unpaired", order: "simpler" })).toEqual([
      { C: 20, blockWeight: 1 },
      { C: 80, blockWeight: 1 },
    ]);
    expect(oneSeMembers([scored[0]!], { se: "paired", order: "simpler" })).toEqual([{ C: 80, blockWeight: 1 }]);
  });

  // Row losses that vary a lot from row to row (easy and hard rows), as out-of-fold losses do.
  const rowLoss = (m: number, seed: number): Float64Array => {
    const rng = createRng(seed);
    return Float64Array.from({ length: m }, () => -Math.log(0.05 + 0.9 * rng.next()));
  };
  const shifted = (base: Float64Array, by: (r: number) => number): Float64Array => base.map((v, r) => v + by(r));

  it("paired: a setting worse on every row by a constant is out, though within the best's unpaired SE", () => {
    const best = rowLoss(2000, 1);
    // C 5 loses 0.015 on every row: less than the best's unpaired SE (≈ 0.018 at 2,000 rows of spread ≈ 0.8)…
    const scored = [
      { C: 5, blockWeight: 1, losses: shifted(best, () => 0.015) },
      { C: 20, blockWeight: 1, losses: best },
    ];
    expect(oneSeMembers(scored, { se: "unpaired", order: "simpler" })).toEqual([
      { C: 5, blockWeight: 1 },
      { C: 20, blockWeight: 1 },
    ]);
    // …but the paired difference has no spread at all: C 5 is worse beyond doubt, the best is the one member.
    expect(oneSeMembers(scored, { se: "paired", order: "simpler" })).toEqual([{ C: 20, blockWeight: 1 }]);
  });

  it("paired: a difference that is noise across rows keeps the more regularized setting eligible", () => {
    const best = rowLoss(40, 2);
    const rng = createRng(3);
    // Mean +0.01, row-to-row ±0.3: well within one SE of the paired difference (≈ 0.05 at 40 rows).
    const noise = Float64Array.from({ length: 40 }, () => (rng.next() - 0.5) * 1.04);
    const mu = noise.reduce((a, b) => a + b, 0) / 40;
    const scored = [
      { C: 20, blockWeight: 1, losses: best },
      { C: 1.25, blockWeight: 0, losses: shifted(best, (r) => noise[r]! - mu + 0.01) },
    ];
    expect(oneSeMembers(scored, { se: "paired", order: "simpler" })[0]).toEqual({ C: 1.25, blockWeight: 0 });
  });

  it("orders by C, then the dense block alone, then α nearest 1; 'spread' takes one setting per C first", () => {
    const base = rowLoss(50, 4);
    const same = (C: number, blockWeight: number): { C: number; blockWeight: number; losses: Float64Array } => ({
      C,
      blockWeight,
      losses: base,
    });
    const scored = [same(20, 4), same(5, 2), same(5, 0.5), same(20, 0), same(5, 0), same(80, 1), same(5, 1)];
    expect(oneSeMembers(scored, { se: "paired", order: "simpler" })).toEqual([
      { C: 5, blockWeight: 0 },
      { C: 5, blockWeight: 1 },
      { C: 5, blockWeight: 2 },
      { C: 5, blockWeight: 0.5 },
      { C: 20, blockWeight: 0 },
      { C: 20, blockWeight: 4 },
      { C: 80, blockWeight: 1 },
    ]);
    expect(oneSeMembers(scored, { se: "paired", order: "spread" })).toEqual([
      { C: 5, blockWeight: 0 },
      { C: 20, blockWeight: 0 },
      { C: 80, blockWeight: 1 },
      { C: 5, blockWeight: 1 },
      { C: 20, blockWeight: 4 },
      { C: 5, blockWeight: 2 },
      { C: 5, blockWeight: 0.5 },
    ]);
    // "effective": by C·max(1, α²), the n-gram block's own C (α = 2 at C 5 regularizes it as C 20 would).
    expect(oneSeMembers(scored, { se: "paired", order: "effective" })).toEqual([
      { C: 5, blockWeight: 0 },
      { C: 5, blockWeight: 1 },
      { C: 5, blockWeight: 0.5 },
      { C: 5, blockWeight: 2 },
      { C: 20, blockWeight: 0 },
      { C: 80, blockWeight: 1 },
      { C: 20, blockWeight: 4 },
    ]);
  });
});

describe("honest probabilities with little data", () => {
  // Stand-ins for the two texts of a brand-new project; dense vectors as a sentence encoder would give them.
  const texts = ["Cats purr and chase mice.", "Dogs bark and fetch sticks."];
  const classes = ["cat", "dog"];
  const rng = createRng(7);
  const d = 16;
  const vec = (): Float32Array => {
    const v = Float32Array.from({ length: d }, () => rng.next() - 0.5);
    const s = Math.hypot(...v);
    return v.map((x) => x / s);
  };
  const dense = new Float32Array(2 * d);
  dense.set(vec(), 0);
  dense.set(vec(), d);
  const unknownDense = vec();
  const vocab = fitNgramVocabulary({ dfTexts: texts });
  const rows: FeatureRows = { n: 2, dense, d, sparse: ngramMatrix(vocab, texts) };

  it("two texts, one per class: an all-unknown text gets a top probability ≤ 0.7, and the model says so", () => {
    const { model, oofProba } = trainHybridClassifier(
      rows,
      classes,
      { task: "single-label", y: Int32Array.from([0, 1]) },
      { featurizerId: "x", vocabulary: vocab },
    );
    expect(oofProba).toBeNull();
    const cal = model.metrics.calibration as CalibrationRecord;
    expect(cal).toMatchObject({ kind: "shrinkage", tooLittleData: true });
    const unknown = ngramMatrix(vocab, ["Zzxq vvwp!"]);
    expect(unknown.indices.length).toBe(0);
    const p = predictProbaRows(model, { n: 1, dense: unknownDense, d, sparse: unknown });
    expect(Math.max(p[0]!, p[1]!)).toBeLessThanOrEqual(0.7);
    // Even the training texts themselves claim no more than Laplace's 2/3.
    const pt = predictProbaRows(model, rows);
    expect(pt[0]!).toBeGreaterThan(0.5);
    expect(pt[0]!).toBeLessThanOrEqual(2 / 3 + 1e-6);
    expect(pt[3]!).toBeGreaterThan(0.5);
    // Sparse-only and dense-only models behave the same way.
    for (const r of [
      { ...rows, dense: null, d: 0 },
      { ...rows, sparse: null },
    ]) {
      const m = trainHybridClassifier(
        r,
        classes,
        { task: "single-label", y: Int32Array.from([0, 1]) },
        { featurizerId: "x", vocabulary: r.sparse ? vocab : undefined },
      ).model;
      const q = predictProbaRows(m, {
        n: 1,
        dense: r.dense ? unknownDense : null,
        d: r.d,
        sparse: r.sparse ? unknown : null,
      });
      expect(Math.max(q[0]!, q[1]!)).toBeLessThanOrEqual(0.7);
    }
  });

  it("two texts per class: out-of-fold temperature, capped by the out-of-fold accuracy, flagged as little data", () => {
    const t4 = [...texts, "A cat naps in the sun.", "The dog runs to the park."];
    const v4 = fitNgramVocabulary({ dfTexts: t4 });
    const d4 = new Float32Array(4 * d);
    for (let i = 0; i < 4; i++) d4.set(vec(), i * d);
    const { model, oofProba } = trainHybridClassifier(
      { n: 4, dense: d4, d, sparse: ngramMatrix(v4, t4) },
      classes,
      { task: "single-label", y: Int32Array.from([0, 1, 0, 1]) },
      { featurizerId: "x", vocabulary: v4 },
    );
    const cal = model.metrics.calibration as CalibrationRecord;
    expect(cal).toMatchObject({ kind: "temperature-oof", tooLittleData: true });
    expect(oofProba).not.toBeNull();
    const p = predictProbaRows(model, { n: 1, dense: unknownDense, d, sparse: ngramMatrix(v4, ["Qqq zzz"]) });
    expect(Math.max(p[0]!, p[1]!)).toBeLessThanOrEqual(0.7);
  });
});

describe("float16 storage", () => {
  it("rounds to nearest even and keeps exact halves exact", () => {
    const a = Float32Array.from([
      0,
      -0,
      1,
      -2.5,
      65504,
      70000,
      2 ** -24,
      2 ** -26,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      6.103515625e-5,
      0.1,
    ]);
    const back = float16BitsToFloat32(float32ToFloat16Bits(a));
    expect(Array.from(back.slice(0, 7))).toEqual([0, -0, 1, -2.5, 65504, Infinity, 2 ** -24]);
    expect(back[7]).toBe(0); // below half the smallest subnormal
    expect(back[8]).toBe(1); // tie → even
    expect(back[9]).toBe(1 + 2 * 2 ** -10); // tie → even (up)
    expect(back[10]).toBe(6.103515625e-5);
    expectClose(back[11]!, 0.1, { rel: 2 ** -11 });
    expect(Array.from(float16BitsToFloat32(float32ToFloat16Bits(back)))).toEqual(Array.from(back));
  });
});
