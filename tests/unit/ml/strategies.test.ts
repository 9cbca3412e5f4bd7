import { describe, expect, it } from "vitest";
import { likelyMislabeled } from "@/ml/likely-mislabeled";
import { createRng } from "@/ml/rng";
import { scoreChunk } from "@/ml/uncertainty";
import { selectDiverseBatch } from "@/ml/select-diverse-batch";
import { TopKSelector } from "@/ml/top-k-selector";
import { expectClose } from "../../helpers/expect-close";

describe("scoreChunk", () => {
  const P = new Float32Array([0.5, 0.3, 0.2, 1 / 3, 1 / 3, 1 / 3, 1, 0, 0]);
  it("computes reference priorities", () => {
    expectClose(scoreChunk(P, 3, 3, "least-confidence"), [0.5, 2 / 3, 0], { abs: 1e-6 });
    expectClose(scoreChunk(P, 3, 3, "margin"), [0.8, 1, 0], { abs: 1e-6 });
    const h = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)) / Math.log(3);
    expectClose(scoreChunk(P, 3, 3, "entropy"), [h, 1, 0], { abs: 1e-6 });
    expectClose(scoreChunk(new Float32Array([0.9, 0.45, 0.1, 0.2]), 2, 2, "threshold-margin"), [0.9, 0.4], {
      abs: 1e-6,
    });
    // Mean closeness over labels: row 1 distances 0.8 and 0.1, row 2 0.8 and 0.6; with thresholds 0.3 / 0.5,
    // row 1's first distance is 0.6 / 0.7.
    expectClose(scoreChunk(new Float32Array([0.9, 0.45, 0.1, 0.2]), 2, 2, "threshold-margin-mean"), [0.55, 0.3], {
      abs: 1e-6,
    });
    expectClose(
      scoreChunk(new Float32Array([0.9, 0.45]), 1, 2, "threshold-margin-mean", { thresholds: [0.3, 0.5] }),
      [1 - (0.6 / 0.7 + 0.1) / 2],
      { abs: 1e-6 },
    );
  });
  it("ranks NaN rows last and random is chunking-invariant", () => {
    expect(scoreChunk(new Float32Array([NaN, 0.5]), 1, 2, "margin")[0]).toBe(-1);
    const whole = scoreChunk(new Float32Array(20), 10, 2, "random", { seed: 9 });
    const part = scoreChunk(new Float32Array(10), 5, 2, "random", { seed: 9, offset: 5 });
    expect(Array.from(part)).toEqual(Array.from(whole.subarray(5)));
    expect(new Set(whole).size).toBe(10);
  });
});

describe("TopKSelector", () => {
  it("streams chunks to the same top-k as a full sort, ties to the lower index", () => {
    const rng = createRng(1);
    const scores = Float32Array.from({ length: 1000 }, () => Math.round(rng.next() * 50) / 50);
    const sel = new TopKSelector(25);
    for (let o = 0; o < 1000; o += 64) sel.pushChunk(scores.subarray(o, Math.min(1000, o + 64)), o);
    const expected = Array.from(scores.keys())
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, 25);
    expect(sel.result().ids).toEqual(expected);
  });
  it("handles k = 0, k > n and NaN", () => {
    const s0 = new TopKSelector(0);
    s0.pushChunk(new Float32Array([1, 2]));
    expect(s0.result().ids).toEqual([]);
    const s = new TopKSelector(5);
    s.pushChunk(new Float32Array([0.1, NaN, 0.3]));
    expect(s.result().ids).toEqual([2, 0]);
  });
});

describe("selectDiverseBatch", () => {
  it("never picks near-duplicates when enough distinct candidates exist", () => {
    // rows 0,1,2 identical; 3 near-identical to 0; 4,5 distinct
    const emb = new Float32Array([1, 0, 0, 1, 0, 0, 1, 0, 0, 0.99, 0.01, 0, 0, 1, 0, 0, 0, 1]);
    for (const method of ["dedupe", "kcenter"] as const) {
      const pick = selectDiverseBatch(emb, 6, 3, 3, { method });
      expect(pick[0]).toBe(0);
      expect([...pick].sort()).toEqual([0, 4, 5]);
    }
    // Batch larger than the distinct set is still filled.
    expect(selectDiverseBatch(emb, 6, 3, 5).length).toBe(5);
    expect(selectDiverseBatch(emb, 0, 3, 5)).toEqual([]);
  });

  it("dedupe picks exactly what the all-pairs greedy picks: clusters of near-duplicates, NaN rows, short batches", () => {
    // The rule as first written: after each pick, every candidate's largest cosine to the chosen set is updated; the
    // next pick is the first candidate at or under the limit, else the first one left.
    const reference = (emb: Float32Array, m: number, d: number, size: number, maxCos: number): number[] => {
      const norm = (i: number) => Math.sqrt(emb.subarray(i * d, (i + 1) * d).reduce((s, v) => s + v * v, 0)) || 1;
      const cos = (a: number, b: number) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += emb[a * d + j]! * emb[b * d + j]!;
        return s / (norm(a) * norm(b));
      };
      const maxSim = new Array<number>(m).fill(-Infinity);
      const chosen: number[] = [];
      while (chosen.length < Math.min(size, m)) {
        let pick = maxSim.findIndex((v, i) => !chosen.includes(i) && !(v > maxCos));
        if (pick < 0) pick = maxSim.findIndex((_, i) => !chosen.includes(i));
        chosen.push(pick);
        for (let j = 0; j < m; j++)
          if (!chosen.includes(j)) maxSim[j] = Math.max(maxSim[j]!, cos(pick, j) || -Infinity);
      }
      return chosen;
    };
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = createRng(seed);
      const d = 7 + seed; // odd and even widths
      const centers = 3 + seed;
      const m = 40 * seed + 3;
      const emb = new Float32Array(m * d);
      const base = Array.from({ length: centers * d }, () => rng.next() * 2 - 1);
      for (let i = 0; i < m; i++) {
        const c = Math.floor(rng.next() * centers);
        for (let j = 0; j < d; j++) emb[i * d + j] = base[c * d + j]! + (rng.next() - 0.5) * 0.2 * seed;
      }
      if (seed % 2) emb.fill(NaN, 5 * d, 6 * d); // a NaN row: never a near-duplicate of anything
      for (const size of [1, 4, centers + 2, m, m + 5])
        for (const maxCos of [0.8, 0.9, 0.99])
          expect(selectDiverseBatch(emb, m, d, size, { maxCosine: maxCos })).toEqual(
            reference(emb, m, d, size, maxCos),
          );
    }
  });
});

describe("likelyMislabeled", () => {
  it("flags rows whose given label the model confidently contradicts", () => {
    const probs = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.1, 0.9, 0.2, 0.8, 0.95, 0.05, 0.6, 0.4]);
    const y = new Int32Array([0, 0, 1, 1, 1, 0]); // row 4 labeled 1 but p = 0.95 for class 0
    const r = likelyMislabeled(probs, y, 6, 2);
    expectClose(Array.from(r.thresholds), [(0.9 + 0.8 + 0.6) / 3, (0.9 + 0.8 + 0.05) / 3], { abs: 1e-6 });
    expect(r.suggested[4]).toBe(0);
    expectClose(r.score[4]!, 0.9, { abs: 1e-6 });
    const flagged = Array.from(r.score.keys()).filter((i) => r.score[i]! > 0);
    expect(flagged).toEqual([4]);
  });
});
