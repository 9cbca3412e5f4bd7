import { createLbfgsVectors, type LbfgsVectorKind, type LbfgsVectors } from "@/ml/lbfgs-vectors";

/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Alg. 7.5 + 3.5/3.6).
 * Minimizes a smooth function; `fg(x, grad)` returns f(x) and writes ∇f(x) into grad.
 * Stops on a gradient tolerance (‖g‖∞ ≤ gtol·max(1, ‖x‖∞)… relative to start), a relative decrease tolerance, or maxIter.
 */
export type ObjectiveFn = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIter?: number;
  /** Stop when ‖g‖∞ ≤ gtol. */
  gtol?: number;
  /** Stop when (f_prev − f) ≤ ftol · max(|f_prev|, |f|, 1). */
  ftol?: number;
  /** History size. */
  memory?: number;
  /**
   * Applies a symmetric positive-definite approximation of the inverse Hessian's shape in place (the initial matrix
   * H₀ = γ·P of the two-loop recursion, γ fitted from the latest step): with correlated features this cuts the
   * number of iterations; the minimum and the stopping rules are unchanged.
   */
  precondition?: (v: Float64Array) => void;
  /**
   * A diagonal part of the preconditioner, applied after `precondition`: rows of `width` elements from `offset`, row
   * r multiplied by scales[r]. Separate from `precondition` so that the vector kernels apply it (SIMD) on the
   * optimizer's own vectors: in JavaScript the hybrid's n-gram block (millions of elements) cost 15–23 ms per call.
   */
  preconditionRows?: { offset: number; width: number; scales: Float64Array };
  /** Called after every accepted iteration with the iterate (read-only; it is the optimizer's own buffer) and f. */
  onIteration?: (iteration: number, x: Float64Array, f: number) => void;
  /** Where the vectors live and which loops run over them (lbfgs-vectors.ts). Default "auto" (WebAssembly SIMD). */
  vectors?: LbfgsVectorKind;
  /**
   * WebAssembly vectors: split every pass in two halves, the second on a helper thread where there are two cores
   * ("auto", the default: from lbfgs-vectors.ts VECTOR_SPLIT_MIN parameters). The split depends on p only.
   */
  vectorSplit?: "auto" | "never" | "always";
  /**
   * γ of the first iteration's H₀ = γ·P (P the preconditioner, or I): a warm start passes the previous fit's final
   * `scale`, so its first step has the right length instead of a line search doubling a tiny one. Default: the first
   * step moves x by at most ~1 in ∞-norm.
   */
  initialScale?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: "gtol" | "ftol" | "maxIter" | "lineSearch";
  /** f after each accepted iteration, starting with f(x0). */
  history: number[];
  /** The last γ of H₀ = γ·P (the inverse curvature along the latest step); NaN before the second iteration. */
  scale: number;
}

export function minimizeLbfgs(fg: ObjectiveFn, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIter ?? 500;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 1e-10;
  const m = options.memory ?? 10;
  const p = x0.length;

  // Every θ-sized vector is allocated here, up front: x, g, d, the trial point and its gradient, the preconditioned
  // y, and the m (s, y) pairs, whose storage is recycled once the history is full.
  const rowsPart = options.preconditionRows;
  if (rowsPart && (rowsPart.offset < 0 || rowsPart.offset + rowsPart.scales.length * rowsPart.width > p)) {
    throw new Error(
      `L-BFGS: preconditionRows covers [${rowsPart.offset}, ${rowsPart.offset + rowsPart.scales.length * rowsPart.width}), outside the ${p} parameters`,
    );
  }
  const V = createLbfgsVectors(p, 6 + 2 * m, options.vectors, rowsPart?.scales, {
    rows: rowsPart && { offset: rowsPart.offset, width: rowsPart.width },
    split: options.vectorSplit,
  });
  const [x0v, g0v, d, xNew0, gNew0, py, ...pairs] = V.vectors as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    ...Float64Array[],
  ];
  // The accepted trial point becomes the iterate by swapping buffers, not copying them.
  let [x, g, xNew, gNew] = [x0v, g0v, xNew0, gNew0];
  const free = pairs.slice();
  x.set(x0);
  // The result owns its own copy: x may be a view into a large WebAssembly memory. The vectors' helper thread is let
  // go here (an objective that throws leaves it to the next optimizer, which takes it over).
  const done = (reason: LbfgsResult["reason"], iterations: number, converged: boolean): LbfgsResult => {
    V.dispose();
    return { x: x.slice(), f, iterations, evaluations, converged, reason, history, scale };
  };
  let scale = NaN;
  let f = fg(x, g);
  let evaluations = 1;
  const history = [f];
  if (!Number.isFinite(f)) {
    V.dispose();
    throw new Error("L-BFGS: objective is not finite at the starting point");
  }
  if (V.normInf(g) <= gtol) return done("gtol", 0, true);

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const precondition =
    options.precondition || rowsPart
      ? (v: Float64Array): void => {
          options.precondition?.(v);
          if (rowsPart) V.scaleRows(v, rowsPart.offset, rowsPart.width);
        }
      : undefined;

  for (let iter = 1; iter <= maxIter; iter++) {
    // Two-loop recursion: d = −H·g.
    const h = S.length;
    let sd = 0;
    if (h > 0) sd = V.scaledCopyThenDot(d, g, -1, S[h - 1]!);
    else V.scaledCopy(d, g, -1);
    for (let j = h - 1; j >= 0; j--) {
      const a = rho[j]! * sd;
      alpha[j] = a;
      if (j > 0) sd = V.axpyThenDot(d, -a, Y[j]!, S[j - 1]!);
      else V.axpy(d, -a, Y[j]!);
    }
    // The second loop's first dot, when the preconditioner's row scaling already computed it.
    let yd: number | undefined;
    if (h > 0 && rowsPart) {
      // precondition() and the γ scaling with their dots fused into single passes (the same numbers).
      py.set(Y[h - 1]!);
      options.precondition?.(py);
      const [sy, ypy] = V.scaleRowsDots(py, S[h - 1]!, Y[h - 1]!, rowsPart.offset, rowsPart.width, 1);
      const gamma = sy / ypy;
      options.precondition?.(d);
      yd = V.scaleRowsDots(d, Y[0]!, Y[0]!, rowsPart.offset, rowsPart.width, gamma)[1];
      scale = gamma;
    } else if (h > 0) {
      let gamma: number;
      if (precondition) {
        py.set(Y[h - 1]!);
        precondition(py);
        gamma = V.dot(S[h - 1]!, Y[h - 1]!) / V.dot(Y[h - 1]!, py);
        precondition(d);
      } else {
        gamma = V.dot(S[h - 1]!, Y[h - 1]!) / V.dot(Y[h - 1]!, Y[h - 1]!);
      }
      V.scaledCopy(d, d, gamma);
      scale = gamma;
    } else if (
      iter === 1 &&
      options.initialScale !== undefined &&
      options.initialScale > 0 &&
      Number.isFinite(options.initialScale)
    ) {
      precondition?.(d);
      V.scaledCopy(d, d, options.initialScale);
    } else {
      // First step: scale so the initial trial moves x by at most ~1 in ∞-norm.
      V.scaledCopy(d, d, 1 / Math.max(1, V.normInf(g)));
    }
    yd ??= h > 0 ? V.dot(Y[0]!, d) : 0;
    // The last step's pass also gives d · g.
    let dg = NaN;
    for (let j = 0; j < h; j++) {
      const c = alpha[j]! - rho[j]! * yd;
      if (j + 1 < h) yd = V.axpyThenDot(d, c, S[j]!, Y[j + 1]!);
      else dg = V.axpyThenDot(d, c, S[j]!, g);
    }
    if (h === 0) dg = V.dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction (numerical trouble): reset memory, use steepest descent.
      free.push(...S, ...Y);
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      V.scaledCopy(d, g, -1 / Math.max(1, V.normInf(g)));
      dg = V.dot(d, g);
    }

    const ls = wolfeLineSearch(fg, V, x, f, d, dg, xNew, gNew);
    evaluations += ls.evaluations;
    if (!ls.ok) return done("lineSearch", iter - 1, false);
    const fPrev = f;
    // A full history hands its oldest pair's storage to the new pair.
    if (S.length === m) {
      free.push(S.shift()!, Y.shift()!);
      rho.shift();
    }
    const s = free.pop()!;
    const y = free.pop()!;
    const { sy, yy, gNorm } = V.stepPair(s, y, xNew, x, gNew, g);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = ls.f;
    history.push(f);
    options.onIteration?.(iter, x, f);
    if (sy > 1e-12 * yy) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    } else {
      free.push(s, y);
    }
    if (gNorm <= gtol) return done("gtol", iter, true);
    if (fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) return done("ftol", iter, true);
  }
  return done("maxIter", maxIter, false);
}

interface LineSearchResult {
  ok: boolean;
  f: number;
  evaluations: number;
}

/** Strong Wolfe line search (c1 = 1e-4, c2 = 0.9) with bracketing and cubic/bisection zoom. Writes xNew, gNew. */
function wolfeLineSearch(
  fg: ObjectiveFn,
  V: LbfgsVectors,
  x: Float64Array,
  f0: number,
  d: Float64Array,
  dg0: number,
  xNew: Float64Array,
  gNew: Float64Array,
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  let evaluations = 0;
  const phi = (t: number): { f: number; dg: number } => {
    V.addScaled(xNew, x, t, d);
    const fv = fg(xNew, gNew);
    evaluations++;
    return { f: fv, dg: V.dot(gNew, d) };
  };

  let tPrev = 0;
  let fPrev = f0;
  let dgPrev = dg0;
  let t = 1;
  for (let i = 0; i < 25; i++) {
    const cur = phi(t);
    if (!Number.isFinite(cur.f)) {
      t = (tPrev + t) / 2;
      continue;
    }
    if (cur.f > f0 + c1 * t * dg0 || (i > 0 && cur.f >= fPrev)) {
      return zoom(tPrev, fPrev, dgPrev, t, cur.f, cur.dg);
    }
    if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, f: cur.f, evaluations };
    if (cur.dg >= 0) return zoom(t, cur.f, cur.dg, tPrev, fPrev, dgPrev);
    tPrev = t;
    fPrev = cur.f;
    dgPrev = cur.dg;
    t *= 2;
  }
  return { ok: false, f: f0, evaluations };

  function zoom(lo: number, fLo: number, dgLo: number, hi: number, fHi: number, dgHi: number): LineSearchResult {
    for (let j = 0; j < 30; j++) {
      // Cubic interpolation between lo and hi, safeguarded to the middle 80% of the interval.
      let tj = cubicMin(lo, fLo, dgLo, hi, fHi, dgHi);
      const a = Math.min(lo, hi);
      const b = Math.max(lo, hi);
      const margin = 0.1 * (b - a);
      if (!Number.isFinite(tj) || tj < a + margin || tj > b - margin) tj = (a + b) / 2;
      const cur = phi(tj);
      if (!Number.isFinite(cur.f) || cur.f > f0 + c1 * tj * dg0 || cur.f >= fLo) {
        hi = tj;
        fHi = cur.f;
        dgHi = cur.dg;
      } else {
        if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, f: cur.f, evaluations };
        if (cur.dg * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dgHi = dgLo;
        }
        lo = tj;
        fLo = cur.f;
        dgLo = cur.dg;
      }
      if (Math.abs(hi - lo) < 1e-12) break;
    }
    // Accept the best sufficient-decrease point found, if any.
    if (lo > 0 && fLo < f0) {
      const cur = phi(lo);
      return { ok: true, f: cur.f, evaluations };
    }
    return { ok: false, f: f0, evaluations };
  }
}

function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (gb + d2 - d1)) / (gb - ga + 2 * d2);
}
