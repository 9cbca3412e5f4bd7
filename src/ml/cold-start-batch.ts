import { createRng } from "@/ml/rng";

export interface ColdStartOptions {
  seed: number;
  /** Rows already labeled (or picked): they act as fixed centres, so the batch covers what they do not. */
  taken?: ArrayLike<number>;
  /** Lloyd iterations that move the batch's centres after seeding. Default 5. */
  iterations?: number;
}

/**
 * A first batch picked before any model exists: cluster representatives of the rows' dense vectors. k-means++
 * seeding (D² sampling, on unit-length vectors, so squared distance is 2 − 2·cosine) places `size` new centres away
 * from each other and from the `taken` rows, a few Lloyd iterations move them to the middle of their clusters (the
 * taken rows stay fixed centres), and each centre's nearest untaken row is picked. Seeding alone favours outliers
 * (the farthest text is often junk); the representative of a cluster is a typical text of a region the labels do
 * not cover yet.
 * X: Float32Array [n × d] row-major. Returns `min(size, untaken rows)` distinct row indices, deterministic by seed.
 */
export function coldStartBatch(
  X: Float32Array,
  n: number,
  d: number,
  size: number,
  options: ColdStartOptions,
): number[] {
  if (X.length < n * d) throw new Error(`coldStartBatch: ${X.length} values for ${n} × ${d}`);
  const taken = new Uint8Array(n);
  const fixed: number[] = [];
  for (const i of Array.from(options.taken ?? []))
    if (!taken[i]) {
      taken[i] = 1;
      fixed.push(i);
    }
  const free = n - fixed.length;
  const k = Math.max(0, Math.min(size, free));
  if (k === 0) return [];
  const rng = createRng(options.seed);
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j]! * X[i * d + j]!;
    inv[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  // Squared distance between unit rows i and a centre c [d] of norm² cc (float64 accumulation).
  const dist2Row = (i: number, c: Float64Array, cc: number): number => {
    let dot = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) dot += X[o + j]! * c[j]!;
    return Math.max(0, 1 - 2 * dot * inv[i]! + cc);
  };
  const unitRow = (i: number): Float64Array => {
    const c = new Float64Array(d);
    for (let j = 0; j < d; j++) c[j] = X[i * d + j]! * inv[i]!;
    return c;
  };
  const norm2 = (c: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += c[j]! * c[j]!;
    return s;
  };

  // Seeding: nearest squared distance of every row to the centres so far.
  const near = new Float64Array(n).fill(Infinity);
  const absorb = (c: Float64Array): void => {
    const cc = norm2(c);
    for (let i = 0; i < n; i++) {
      const v = dist2Row(i, c, cc);
      if (v < near[i]!) near[i] = v;
    }
  };
  for (const i of fixed) absorb(unitRow(i));
  const centres: Float64Array[] = [];
  const seeded = new Uint8Array(n);
  for (let c = 0; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) if (!taken[i] && !seeded[i]) total += Number.isFinite(near[i]!) ? near[i]! : 1;
    let pick = -1;
    if (total > 0) {
      let r = rng.next() * total;
      for (let i = 0; i < n; i++) {
        if (taken[i] || seeded[i]) continue;
        r -= Number.isFinite(near[i]!) ? near[i]! : 1;
        if (r < 0) {
          pick = i;
          break;
        }
      }
    }
    // Every free row sits on a centre (duplicates): take the first free one.
    if (pick < 0)
      for (let i = 0; i < n; i++)
        if (!taken[i] && !seeded[i]) {
          pick = i;
          break;
        }
    seeded[pick] = 1;
    const u = unitRow(pick);
    centres.push(u);
    absorb(u);
  }

  // Lloyd: rows are assigned to the nearest centre, fixed or moving; only the moving centres are recomputed.
  const fixedUnit = fixed.map(unitRow);
  const fixedNorm = fixedUnit.map(norm2);
  const assign = new Int32Array(n);
  for (let it = 0; it < (options.iterations ?? 5); it++) {
    const sums = centres.map(() => new Float64Array(d));
    const counts = new Int32Array(k);
    const cNorm = centres.map(norm2);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let who = -1;
      for (let f = 0; f < fixedUnit.length; f++) {
        const v = dist2Row(i, fixedUnit[f]!, fixedNorm[f]!);
        if (v < best) {
          best = v;
          who = -1;
        }
      }
      for (let c = 0; c < k; c++) {
        const v = dist2Row(i, centres[c]!, cNorm[c]!);
        if (v < best) {
          best = v;
          who = c;
        }
      }
      assign[i] = who;
      if (who >= 0) {
        counts[who]!++;
        const s = sums[who]!;
        for (let j = 0; j < d; j++) s[j]! += X[i * d + j]! * inv[i]!;
      }
    }
    for (let c = 0; c < k; c++)
      if (counts[c]! > 0) {
        const s = sums[c]!;
        for (let j = 0; j < d; j++) s[j] = s[j]! / counts[c]!;
        centres[c] = s;
      }
  }

  // Each centre's nearest free row, centres in seeding order; a row already picked goes to the next centre's search.
  const picked: number[] = [];
  const used = new Uint8Array(n);
  for (let c = 0; c < k; c++) {
    const cc = norm2(centres[c]!);
    let best = Infinity;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i] || used[i]) continue;
      const v = dist2Row(i, centres[c]!, cc);
      if (v < best) {
        best = v;
        pick = i;
      }
    }
    used[pick] = 1;
    picked.push(pick);
  }
  return picked;
}
