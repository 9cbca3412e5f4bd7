import { describe, expect, it } from "vitest";
import { coldStartBatch } from "@/ml/cold-start-batch";
import { gradientEmbeddingBatch } from "@/ml/gradient-embedding-batch";
import { createRng } from "@/ml/rng";

/** `perBlob` unit-ish vectors around each of `dirs` (d = dirs[0].length), noise sd `sd`; row r is in blob ⌊r / perBlob⌋. */
function blobs(dirs: number[][], perBlob: number, sd: number, seed: number): Float32Array {
  const d = dirs[0]!.length;
  const rng = createRng(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const X = new Float32Array(dirs.length * perBlob * d);
  dirs.forEach((dir, b) => {
    for (let r = 0; r < perBlob; r++) for (let j = 0; j < d; j++) X[(b * perBlob + r) * d + j] = dir[j]! + sd * gauss();
  });
  return X;
}

const DIRS = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

describe("coldStartBatch", () => {
  it("picks one representative per cluster, none of the taken rows, deterministically by seed", () => {
    const X = blobs(DIRS, 50, 0.05, 1);
    for (let seed = 0; seed < 10; seed++) {
      const picked = coldStartBatch(X, 200, 4, 4, { seed });
      expect(new Set(picked.map((i) => Math.floor(i / 50))).size).toBe(4);
      expect(coldStartBatch(X, 200, 4, 4, { seed })).toEqual(picked);
    }
    // Blobs 0 and 1 already have labels: the two new picks cover blobs 2 and 3.
    for (let seed = 0; seed < 10; seed++) {
      const picked = coldStartBatch(X, 200, 4, 2, { seed, taken: [3, 60] });
      expect(picked.map((i) => Math.floor(i / 50)).sort()).toEqual([2, 3]);
    }
  });

  it("picks a typical text of its cluster, not the outlier that seeding favours", () => {
    // One blob of 40 tight rows plus one far row along the same direction's edge; a single pick with the outlier
    // the only row D² sampling could favour must still land in the blob's core.
    const X = blobs([[1, 0, 0, 0]], 40, 0.02, 2);
    const Y = new Float32Array(41 * 4);
    Y.set(X);
    Y.set([0.6, 0.8, 0, 0], 40 * 4);
    for (let seed = 0; seed < 10; seed++) {
      const [pick] = coldStartBatch(Y, 41, 4, 1, { seed });
      expect(pick).not.toBe(40);
    }
  });

  it("never returns more rows than are free, and no duplicates", () => {
    const X = blobs(DIRS, 3, 0.0, 3); // exact duplicates within each blob
    const picked = coldStartBatch(X, 12, 4, 20, { seed: 1, taken: [0, 1] });
    expect(picked.length).toBe(10);
    expect(new Set(picked).size).toBe(10);
    expect(picked.some((i) => i === 0 || i === 1)).toBe(false);
    expect(coldStartBatch(X, 12, 4, 0, { seed: 1 })).toEqual([]);
  });
});

/** Explicit (p − onehot(ŷ)) ⊗ x, to check the kernel identity the selector relies on. */
function explicitEmbedding(p: number[], x: number[]): number[] {
  const top = p.indexOf(Math.max(...p));
  return p.flatMap((v, c) => x.map((xj) => (v - (c === top ? 1 : 0)) * xj));
}

describe("gradientEmbeddingBatch", () => {
  it("starts from the largest gradient embedding (reference values)", () => {
    const P = [
      [0.5, 0.3, 0.2],
      [0.9, 0.05, 0.05],
      [0.4, 0.35, 0.25],
    ];
    const X = [
      [1, 0],
      [3, 0],
      [0, 1],
    ];
    // ‖g‖² = ‖p − e_ŷ‖² · ‖x‖²: 0.38, 0.015 · 9 = 0.135, 0.545.
    const norms = P.map((p, i) => explicitEmbedding(p, X[i]!).reduce((s, v) => s + v * v, 0));
    expect(norms.map((v) => Number(v.toFixed(3)))).toEqual([0.38, 0.135, 0.545]);
    const picked = gradientEmbeddingBatch(new Float32Array(P.flat()), new Float32Array(X.flat()), 3, 3, 2, 1, {
      seed: 0,
    });
    expect(picked).toEqual([2]);
  });

  it("never picks an exact copy of a chosen item while a different candidate remains", () => {
    // Candidate 1 duplicates candidate 0 (same p, same x); 2 and 3 differ. The second pick has probability 0 at 1.
    const P = new Float32Array([0.5, 0.5, 0.5, 0.5, 0.6, 0.4, 0.45, 0.55]);
    const X = new Float32Array([1, 0, 1, 0, 0, 1, 0.7, 0.7]);
    for (let seed = 0; seed < 20; seed++) {
      const picked = gradientEmbeddingBatch(P, X, 4, 2, 2, 3, { seed });
      expect(picked[0]).toBe(0);
      expect(picked.slice(0, 3)).not.toContain(1);
      expect(gradientEmbeddingBatch(P, X, 4, 2, 2, 3, { seed })).toEqual(picked);
    }
  });

  it("returns each candidate once, confident duplicates (zero gradient, distance 0 to each other) last", () => {
    // Rows 0 and 2 are certain (g = 0); once one is picked the other is at distance 0 from it.
    const P = new Float32Array([1, 0, 0.6, 0.4, 1, 0, 0.5, 0.5]);
    const X = new Float32Array([1, 1, 1, 0, 2, 2, 0, 1]);
    for (let seed = 0; seed < 20; seed++) {
      const picked = gradientEmbeddingBatch(P, X, 4, 2, 2, 10, { seed });
      expect(picked.length).toBe(4);
      expect(new Set(picked)).toEqual(new Set([0, 1, 2, 3]));
      expect([0, 2]).toContain(picked[3]);
    }
  });

  it("samples in proportion to the squared distance of the explicit embeddings", () => {
    // Three candidates after the first: D² to the first explicit embedding gives the sampling weights.
    const P = [
      [0.5, 0.5],
      [0.7, 0.3],
      [0.2, 0.8],
      [0.55, 0.45],
    ];
    const X = [
      [1, 0],
      [0, 1],
      [1, 1],
      [0.5, 0.2],
    ];
    const g = P.map((p, i) => explicitEmbedding(p, X[i]!));
    const norm = g.map((v) => v.reduce((s, t) => s + t * t, 0));
    const first = norm.indexOf(Math.max(...norm));
    const d2 = g.map((v) => v.reduce((s, t, j) => s + (t - g[first]![j]!) ** 2, 0));
    const total = d2.reduce((s, v, i) => s + (i === first ? 0 : v), 0);
    const counts = [0, 0, 0, 0];
    const runs = 4000;
    for (let seed = 0; seed < runs; seed++)
      counts[
        gradientEmbeddingBatch(new Float32Array(P.flat()), new Float32Array(X.flat()), 4, 2, 2, 2, { seed })[1]!
      ]!++;
    for (let i = 0; i < 4; i++) {
      const expected = i === first ? 0 : d2[i]! / total;
      // Binomial sd at 4,000 runs is ≤ 0.008: 0.03 is a generous bound that a wrong distance formula still breaks.
      expect(Math.abs(counts[i]! / runs - expected)).toBeLessThan(0.03);
    }
  });
});
