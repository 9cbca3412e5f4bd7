import { describe, expect, it } from "vitest";
import { createRng } from "@/ml/rng";
import { buildPreconditioner, secondMoments } from "@/ml/dense-preconditioner";
import { wasmLogisticAvailable, wasmSecondMoments } from "@/ml/wasm-logistic-kernel";

function problem(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X = new Float32Array(n * d);
  // Correlated features: a shared factor plus noise, so the second-moment matrix is far from diagonal.
  for (let i = 0; i < n; i++) {
    const f = rng.next() * 2 - 1;
    for (let j = 0; j < d; j++) X[i * d + j] = f * (1 + j / d) + 0.3 * (rng.next() - 0.5) + j * 0.1;
  }
  const mean = new Float32Array(d);
  const scale = new Float32Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X[i * d + j]!;
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j]! - mean[j]!) ** 2;
    scale[j] = Math.sqrt(v / n) || 1;
  }
  return { X, mean, scale };
}

describe("dense preconditioner: (C + δI)⁻¹ per class, C the second moments of [standardized row, 1]", () => {
  for (const [n, d, K] of [
    [50, 1, 1],
    [300, 7, 3],
    [200, 20, 5],
    [120, 33, 2],
  ] as const) {
    it(`WebAssembly solves agree with the TypeScript loops and invert C + δI (n ${n}, d ${d}, K ${K})`, () => {
      const { X, mean, scale } = problem(n, d, n + d);
      const l2 = 1e-3;
      const delta = 4 * l2 + 1e-3;
      const wasm = buildPreconditioner(X, n, d, K, mean, scale, l2, delta, "wasm");
      const ts = buildPreconditioner(X, n, d, K, mean, scale, l2, delta, "typescript");
      const rng = createRng(7);
      const p = K * d + K + 5; // trailing entries (another block of θ) must stay untouched
      const v = Float64Array.from({ length: p }, () => rng.next() * 2 - 1);
      const a = v.slice();
      const b = v.slice();
      wasm(a);
      ts(b);
      for (let i = 0; i < p; i++)
        expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]!)));
      for (let i = K * d + K; i < p; i++) expect(a[i]).toBe(v[i]);
      // (C + δI) · P v = v for each class's [w_k, b_k].
      const q = d + 1;
      const C = new Float64Array(q * q);
      const z = new Float64Array(q);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) z[j] = (X[i * d + j]! - mean[j]!) / scale[j]!;
        z[d] = 1;
        for (let r = 0; r < q; r++) for (let c = 0; c < q; c++) C[r * q + c] = C[r * q + c]! + (z[r]! * z[c]!) / n;
      }
      for (let r = 0; r < q; r++) C[r * q + r] = C[r * q + r]! + delta;
      for (let k = 0; k < K; k++) {
        const t = [...Array.from(a.subarray(k * d, k * d + d)), a[K * d + k]!];
        const orig = [...Array.from(v.subarray(k * d, k * d + d)), v[K * d + k]!];
        for (let r = 0; r < q; r++) {
          let s = 0;
          for (let c = 0; c < q; c++) s += C[r * q + c]! * t[c]!;
          expect(Math.abs(s - orig[r]!)).toBeLessThan(1e-9);
        }
      }
    });
  }

  it.runIf(wasmLogisticAvailable())(
    "gets the same bits from the WebAssembly second moments as from the TypeScript loop",
    () => {
      // Odd d (padding), sample rows over several tiles and a subsample, a constant feature (the loop skips zeros).
      for (const [n, d, rows] of [
        [5000, 13, 4096],
        [300, 64, 300],
        [40, 1, 40],
      ] as const) {
        const { X, mean, scale } = problem(n, d, 3 * d);
        for (let i = 0; i < n && d > 2; i++) X[i * d + 2] = mean[2]!;
        const ts = secondMoments(X, n, d, rows, mean, scale);
        const wasm = wasmSecondMoments(X, n, d, rows, mean, scale)!;
        const q = d + 1;
        for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) expect(wasm[a * q + b]).toBe(ts[a * q + b]);
      }
    },
  );
});
