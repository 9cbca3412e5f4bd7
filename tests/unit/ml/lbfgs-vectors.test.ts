import { describe, expect, it } from "vitest";
import { minimizeLbfgs } from "@/ml/lbfgs";
import { createLbfgsVectors } from "@/ml/lbfgs-vectors";
import { createRng } from "@/ml/rng";

const SIZES = [1, 2, 3, 17, 1001];

function filled(v: Float64Array, seed: number): Float64Array {
  const rng = createRng(seed);
  for (let i = 0; i < v.length; i++) v[i] = (rng.next() - 0.5) * 10;
  return v;
}

describe("L-BFGS vector kernels: WebAssembly SIMD against the TypeScript reference", () => {
  for (const p of SIZES) {
    it(`agree on p = ${p} (element-wise ops bit for bit, sums to 1e-12 relative)`, () => {
      const w = createLbfgsVectors(p, 4, "wasm");
      const t = createLbfgsVectors(p, 4, "typescript");
      expect([w.kind, t.kind]).toEqual(["wasm", "typescript"]);
      w.vectors.forEach((v, i) => filled(v, i + 1));
      t.vectors.forEach((v, i) => filled(v, i + 1));
      const [wa, wb, wc, wo] = w.vectors as [Float64Array, Float64Array, Float64Array, Float64Array];
      const [ta, tb, tc, to] = t.vectors as [Float64Array, Float64Array, Float64Array, Float64Array];
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
      expect(rel(w.dot(wa, wb), t.dot(ta, tb))).toBeLessThan(1e-12);
      w.axpy(wa, 0.37, wb);
      t.axpy(ta, 0.37, tb);
      expect(wa).toEqual(ta);
      expect(rel(w.axpyThenDot(wa, -1.3, wb, wc), t.axpyThenDot(ta, -1.3, tb, tc))).toBeLessThan(1e-12);
      expect(wa).toEqual(ta);
      w.scaledCopy(wo, wa, -2.5);
      t.scaledCopy(to, ta, -2.5);
      expect(wo).toEqual(to);
      w.scaledCopy(wo, wo, 0.5);
      t.scaledCopy(to, to, 0.5);
      expect(wo).toEqual(to);
      // Fused with the dot that follows it in L-BFGS: the separate ops' bits on either path.
      for (const [V, [a, b, u, o]] of [
        [w, [wa, wb, wc, wo]],
        [t, [ta, tb, tc, to]],
      ] as const) {
        const got = V.scaledCopyThenDot(o, a, -1, u);
        const before = o.slice();
        V.scaledCopy(o, a, -1);
        expect(o).toEqual(before);
        expect(got).toBe(V.dot(u, o));
        // The second loop's last step with d · g (L-BFGS's dot(d, g)).
        o.set(b);
        const viaFused = V.axpyThenDot(o, 0.3, a, u);
        o.set(b);
        V.axpy(o, 0.3, a);
        expect(viaFused).toBe(V.dot(o, u));
      }
      w.addScaled(wo, wa, 0.125, wb);
      t.addScaled(to, ta, 0.125, tb);
      expect(wo).toEqual(to);
      w.difference(wo, wa, wc);
      t.difference(to, ta, tc);
      expect(wo).toEqual(to);
      expect(w.normInf(wo)).toBe(t.normInf(to));
      expect(w.normInf(wo)).toBe(Math.max(...Array.from(to, Math.abs)));
      // The fused end of an iteration: the separate ops' numbers to the bit on either path.
      const ws = createLbfgsVectors(p, 8, "wasm");
      const ts = createLbfgsVectors(p, 8, "typescript");
      ws.vectors.forEach((v, i) => filled(v, i + 11));
      ts.vectors.forEach((v, i) => filled(v, i + 11));
      for (const V of [ws, ts]) {
        const [s, y, xNew, x, gNew, g, es, ey] = V.vectors as Float64Array[] as [
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
          Float64Array,
        ];
        const got = V.stepPair(s, y, xNew, x, gNew, g);
        V.difference(es, xNew, x);
        V.difference(ey, gNew, g);
        expect(s).toEqual(es);
        expect(y).toEqual(ey);
        expect(got).toEqual({ sy: V.dot(s, y), yy: V.dot(y, y), gNorm: V.normInf(gNew) });
      }
    });
  }

  // The hybrid's n-gram block: rows of K (odd) classes from an odd offset into θ, one scale per row.
  for (const [p, offset, width, rows] of [
    [7, 0, 1, 7],
    [20, 3, 3, 5],
    [1001, 95, 151, 6],
    [64, 1, 2, 31],
    [30, 4, 5, 5],
  ] as const) {
    it(`scale rows alike (p ${p}, offset ${offset}, width ${width}, ${rows} rows): bit for bit, the rest untouched`, () => {
      const scales = filled(new Float64Array(rows), 99);
      const w = createLbfgsVectors(p, 2, "wasm", scales);
      const t = createLbfgsVectors(p, 2, "typescript", scales);
      scales.fill(0); // copied at creation
      const [wv] = w.vectors as [Float64Array];
      const [tv] = t.vectors as [Float64Array];
      filled(wv, 5);
      filled(tv, 5);
      const before = tv.slice();
      w.scaleRows(wv, offset, width);
      t.scaleRows(tv, offset, width);
      expect(wv).toEqual(tv);
      const expected = filled(new Float64Array(rows), 99);
      for (let i = 0; i < p; i++) {
        const r = Math.floor((i - offset) / width);
        expect(tv[i]).toBe(i >= offset && r < rows ? before[i]! * expected[r]! : before[i]!);
      }
      expect(w.vectors[1]!.every((v) => v === 0)).toBe(true);
    });

    it(`scale rows, γ and two dots in one pass (p ${p}, offset ${offset}, width ${width}, ${rows} rows): the separate ops' bits`, () => {
      const scales = filled(new Float64Array(rows), 99);
      for (const kind of ["wasm", "typescript"] as const) {
        const V = createLbfgsVectors(p, 4, kind, scales);
        const [v, a, b, e] = V.vectors as [Float64Array, Float64Array, Float64Array, Float64Array];
        filled(v, 5);
        filled(a, 6);
        filled(b, 7);
        e.set(v);
        const got = V.scaleRowsDots(v, a, b, offset, width, 0.37);
        V.scaleRows(e, offset, width);
        V.scaledCopy(e, e, 0.37);
        expect(v).toEqual(e);
        expect(got).toEqual([V.dot(a, b), V.dot(b, e)]);
        // γ = 1 and b = v's own pair: still the separate ops' numbers.
        e.set(v);
        const again = V.scaleRowsDots(v, b, b, offset, width, 1);
        V.scaleRows(e, offset, width);
        expect(v).toEqual(e);
        expect(again).toEqual([V.dot(b, b), V.dot(b, e)]);
      }
    });
  }

  // Split in two halves (the second on the vector helper thread where there are two cores), at a row boundary of the
  // preconditioner's block when there is one: every op against the TypeScript reference, and the fused ops against
  // the separate ones on the same halves.
  for (const [p, rows] of [
    [2, null],
    [3, null],
    [1001, null],
    [1001, { offset: 95, width: 151, count: 6 }],
    [64, { offset: 1, width: 3, count: 21 }],
  ] as const) {
    it(`split in two halves: the reference's numbers (p ${p}${rows ? `, ${rows.count} rows of ${rows.width} from ${rows.offset}` : ""})`, () => {
      const scales = rows ? filled(new Float64Array(rows.count), 99) : undefined;
      const layout = rows ? { offset: rows.offset, width: rows.width } : undefined;
      const w = createLbfgsVectors(p, 8, "wasm", scales, { rows: layout, split: "always" });
      const t = createLbfgsVectors(p, 8, "typescript", scales);
      w.vectors.forEach((v, i) => filled(v, i + 31));
      t.vectors.forEach((v, i) => filled(v, i + 31));
      const [wa, wb, wc, wo, ws, wy] = w.vectors as Float64Array[] as Float64Array[] & { length: 8 };
      const [ta, tb, tc, to, tsv, ty] = t.vectors as Float64Array[] as Float64Array[] & { length: 8 };
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
      expect(rel(w.dot(wa!, wb!), t.dot(ta!, tb!))).toBeLessThan(1e-12);
      expect(rel(w.axpyThenDot(wa!, -1.3, wb!, wc!), t.axpyThenDot(ta!, -1.3, tb!, tc!))).toBeLessThan(1e-12);
      expect(wa).toEqual(ta);
      w.axpy(wa!, 0.37, wb!);
      t.axpy(ta!, 0.37, tb!);
      expect(wa).toEqual(ta);
      expect(rel(w.scaledCopyThenDot(wo!, wa!, -2.5, wc!), t.scaledCopyThenDot(to!, ta!, -2.5, tc!))).toBeLessThan(
        1e-12,
      );
      expect(wo).toEqual(to);
      w.addScaled(wo!, wa!, 0.125, wb!);
      t.addScaled(to!, ta!, 0.125, tb!);
      expect(wo).toEqual(to);
      w.difference(wo!, wa!, wc!);
      t.difference(to!, ta!, tc!);
      expect(wo).toEqual(to);
      expect(w.normInf(wo!)).toBe(t.normInf(to!));
      const got = w.stepPair(ws!, wy!, wa!, wb!, wc!, wo!);
      const ref = t.stepPair(tsv!, ty!, ta!, tb!, tc!, to!);
      expect([ws, wy]).toEqual([tsv, ty]);
      expect(rel(got.sy, ref.sy) + rel(got.yy, ref.yy)).toBeLessThan(1e-12);
      expect(got.gNorm).toBe(ref.gNorm);
      // The fused ops give the separate ops' numbers on the same halves.
      expect(got).toEqual({ sy: w.dot(ws!, wy!), yy: w.dot(wy!, wy!), gNorm: w.normInf(wc!) });
      if (rows) {
        w.scaleRows(wa!, rows.offset, rows.width);
        t.scaleRows(ta!, rows.offset, rows.width);
        expect(wa).toEqual(ta);
        wo!.set(wa!);
        const [ab, bv] = w.scaleRowsDots(wa!, wb!, wc!, rows.offset, rows.width, 0.37);
        const [tab, tbv] = t.scaleRowsDots(ta!, tb!, tc!, rows.offset, rows.width, 0.37);
        expect(wa).toEqual(ta);
        expect(rel(ab, tab) + rel(bv, tbv)).toBeLessThan(1e-12);
        w.scaleRows(wo!, rows.offset, rows.width);
        w.scaledCopy(wo!, wo!, 0.37);
        expect(wo).toEqual(wa);
        expect([ab, bv]).toEqual([w.dot(wb!, wc!), w.dot(wc!, wa!)]);
      }
      // A NaN in either half makes the ∞-norm NaN.
      for (const at of [0, p - 1]) {
        wo!.fill(0.5)[at] = NaN;
        expect(w.normInf(wo!)).toBeNaN();
      }
      w.dispose();
    });
  }

  it("refuse a row block that does not fit, and scaleRows without scales", () => {
    const w = createLbfgsVectors(10, 1, "wasm", new Float64Array(4));
    expect(() => w.scaleRows(w.vectors[0]!, 3, 2)).toThrow(/outside/);
    expect(() => createLbfgsVectors(10, 1, "typescript").scaleRows(new Float64Array(10), 0, 1)).toThrow(
      /without rowScales/,
    );
  });

  it("a NaN anywhere makes the ∞-norm NaN in both (a NaN gradient never looks converged)", () => {
    for (const kind of ["wasm", "typescript"] as const) {
      for (const at of [0, 6, 10]) {
        const V = createLbfgsVectors(11, 1, kind);
        V.vectors[0]!.fill(0.5)[at] = NaN;
        expect(V.normInf(V.vectors[0]!)).toBeNaN();
      }
    }
  });

  it("hand out zeroed, separate vectors", () => {
    const V = createLbfgsVectors(5, 3, "wasm");
    V.vectors[0]!.fill(1);
    expect(Array.from(V.vectors[1]!)).toEqual([0, 0, 0, 0, 0]);
    expect(V.vectors[1]!.byteOffset - V.vectors[0]!.byteOffset).toBeGreaterThanOrEqual(40);
  });
});

describe("minimizeLbfgs on either vector kernel", () => {
  // A convex quadratic-plus-softplus in 1,001 variables with a known-unique minimum.
  const p = 1001;
  const rng = createRng(7);
  const c = Float64Array.from({ length: p }, () => rng.next() * 4 - 2);
  const scale = Float64Array.from({ length: p }, (_, i) => 0.5 + (i % 13));
  const fg = (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < p; i++) {
      const u = x[i]! - c[i]!;
      const sp = Math.log1p(Math.exp(x[i]!));
      f += 0.5 * scale[i]! * u * u + sp;
      g[i] = scale[i]! * u + 1 / (1 + Math.exp(-x[i]!));
    }
    return f;
  };

  it("reach the same optimum and stop for the same reason; the result is a plain array, not a view", () => {
    const w = minimizeLbfgs(fg, new Float64Array(p), { gtol: 1e-10, maxIter: 500, vectors: "wasm" });
    const t = minimizeLbfgs(fg, new Float64Array(p), { gtol: 1e-10, maxIter: 500, vectors: "typescript" });
    expect(w.converged && t.converged).toBe(true);
    expect(w.reason).toBe(t.reason);
    expect(Math.abs(w.f - t.f) / Math.abs(t.f)).toBeLessThan(1e-12);
    for (let i = 0; i < p; i++) expect(Math.abs(w.x[i]! - t.x[i]!)).toBeLessThan(1e-8);
    expect(Math.abs(w.iterations - t.iterations)).toBeLessThanOrEqual(2);
    expect(w.x.buffer.byteLength).toBe(p * 8);
  });

  it("split in two halves (the second on the helper thread), reach the reference's optimum; with a row-scaled preconditioner too", () => {
    const t = minimizeLbfgs(fg, new Float64Array(p), { gtol: 1e-10, maxIter: 500, vectors: "typescript" });
    const w = minimizeLbfgs(fg, new Float64Array(p), { gtol: 1e-10, maxIter: 500, vectorSplit: "always" });
    expect(w.reason).toBe(t.reason);
    expect(Math.abs(w.f - t.f) / Math.abs(t.f)).toBeLessThan(1e-12);
    for (let i = 0; i < p; i++) expect(Math.abs(w.x[i]! - t.x[i]!)).toBeLessThan(1e-8);
    // A diagonal preconditioner on rows of 7 from element 6 (as on the hybrid's n-gram block): any positive one does.
    const rows = Math.floor((p - 6) / 7);
    const preconditionRows = {
      offset: 6,
      width: 7,
      scales: Float64Array.from({ length: rows }, (_, r) => 1 / (1 + (r % 3))),
    };
    const tr = minimizeLbfgs(fg, new Float64Array(p), {
      gtol: 1e-6,
      ftol: 0,
      vectors: "typescript",
      preconditionRows,
    });
    const wr = minimizeLbfgs(fg, new Float64Array(p), {
      gtol: 1e-6,
      ftol: 0,
      vectorSplit: "always",
      preconditionRows,
    });
    expect([wr.reason, tr.reason]).toEqual(["gtol", "gtol"]);
    expect(Math.abs(wr.f - tr.f) / Math.abs(tr.f)).toBeLessThan(1e-12);
    expect(Math.abs(wr.iterations - tr.iterations)).toBeLessThanOrEqual(2);
  });

  it("reports every accepted iterate to onIteration, in order, with f matching the history", () => {
    const seen: [number, number][] = [];
    const r = minimizeLbfgs(fg, new Float64Array(p), { gtol: 1e-6, onIteration: (it, _x, f) => seen.push([it, f]) });
    expect(seen.map(([it]) => it)).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
    expect(seen.map(([, f]) => f)).toEqual(r.history.slice(1));
  });
});
