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
}

type Vec = Float64Array;

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: "gtol" | "ftol" | "maxIter" | "lineSearch";
  /** f after each accepted iteration, starting with f(x0). */
  history: number[];
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

// With millions of parameters (n-gram columns × classes) the two-loop recursion streams the history from memory
// and is bound by bandwidth: each step's axpy and the next step's dot share one pass over d. (A single-precision
// history was tried: no faster in JavaScript, whose loads widen f32 to f64.)

/** y += a · x */
function axpy(y: Float64Array, a: number, x: Vec): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
}

/** y += a · x, returning u · y (the next two-loop step's dot fused into this pass over y). */
function axpyThenDot(y: Float64Array, a: number, x: Vec, u: Vec): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]! + a * x[i]!;
    y[i] = v;
    s += u[i]! * v;
  }
  return s;
}

/** v *= a */
function scale(v: Float64Array, a: number): void {
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * a;
}

/** out = a · v */
function scaledCopy(out: Float64Array, v: Float64Array, a: number): void {
  for (let i = 0; i < out.length; i++) out[i] = v[i]! * a;
}

/** out = a − b */
function difference(out: Vec, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
}

function normInf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

export function minimizeLbfgs(fg: ObjectiveFn, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIter ?? 500;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 1e-10;
  const m = options.memory ?? 10;
  const p = x0.length;

  const x = Float64Array.from(x0);
  const g = new Float64Array(p);
  let f = fg(x, g);
  let evaluations = 1;
  const history = [f];
  if (!Number.isFinite(f)) throw new Error("L-BFGS: objective is not finite at the starting point");
  if (normInf(g) <= gtol) return { x, f, iterations: 0, evaluations, converged: true, reason: "gtol", history };

  const S: Vec[] = [];
  const Y: Vec[] = [];
  const newVector = (): Vec => new Float64Array(p);
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(p);
  const xNew = new Float64Array(p);
  const gNew = new Float64Array(p);
  const precondition = options.precondition;
  const py = new Float64Array(precondition ? p : 0);

  for (let iter = 1; iter <= maxIter; iter++) {
    // Two-loop recursion: d = −H·g.
    scaledCopy(d, g, -1);
    const h = S.length;
    let sd = h > 0 ? dot(S[h - 1]!, d) : 0;
    for (let j = h - 1; j >= 0; j--) {
      const a = rho[j]! * sd;
      alpha[j] = a;
      if (j > 0) sd = axpyThenDot(d, -a, Y[j]!, S[j - 1]!);
      else axpy(d, -a, Y[j]!);
    }
    if (h > 0) {
      let gamma: number;
      if (precondition) {
        py.set(Y[h - 1]!);
        precondition(py);
        gamma = dot(S[h - 1]!, Y[h - 1]!) / dot(Y[h - 1]!, py);
        precondition(d);
      } else {
        gamma = dot(S[h - 1]!, Y[h - 1]!) / dot(Y[h - 1]!, Y[h - 1]!);
      }
      scale(d, gamma);
    } else {
      // First step: scale so the initial trial moves x by at most ~1 in ∞-norm.
      scale(d, 1 / Math.max(1, normInf(g)));
    }
    let yd = h > 0 ? dot(Y[0]!, d) : 0;
    for (let j = 0; j < h; j++) {
      const c = alpha[j]! - rho[j]! * yd;
      if (j + 1 < h) yd = axpyThenDot(d, c, S[j]!, Y[j + 1]!);
      else axpy(d, c, S[j]!);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction (numerical trouble): reset memory, use steepest descent.
      S.length = 0; Y.length = 0; rho.length = 0;
      scaledCopy(d, g, -1 / Math.max(1, normInf(g)));
      dg = dot(d, g);
    }

    const ls = wolfeLineSearch(fg, x, f, g, d, dg, xNew, gNew);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      return { x, f, iterations: iter - 1, evaluations, converged: false, reason: "lineSearch", history };
    }
    const fPrev = f;
    // Reuse the oldest pair's storage once the history is full: with millions of parameters, two fresh vectors per
    // iteration were most of the optimizer's own time (allocation and garbage collection).
    const recycle = S.length === m;
    const s = recycle ? S[0]! : newVector();
    const y = recycle ? Y[0]! : newVector();
    difference(s, xNew, x);
    difference(y, gNew, g);
    x.set(xNew);
    g.set(gNew);
    f = ls.f;
    history.push(f);
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    } else if (recycle) {
      // The pair is rejected but its buffers were the oldest pair's: drop that pair (its contents are gone).
      S.shift(); Y.shift(); rho.shift();
    }
    if (normInf(g) <= gtol) return { x, f, iterations: iter, evaluations, converged: true, reason: "gtol", history };
    if (fPrev - f <= ftol * Math.max(Math.abs(fPrev), Math.abs(f), 1)) {
      return { x, f, iterations: iter, evaluations, converged: true, reason: "ftol", history };
    }
  }
  return { x, f, iterations: maxIter, evaluations, converged: false, reason: "maxIter", history };
}

interface LineSearchResult { ok: boolean; f: number; evaluations: number }

/** Strong Wolfe line search (c1 = 1e-4, c2 = 0.9) with bracketing and cubic/bisection zoom. Writes xNew, gNew. */
function wolfeLineSearch(
  fg: ObjectiveFn, x: Float64Array, f0: number, g0: Float64Array, d: Float64Array, dg0: number,
  xNew: Float64Array, gNew: Float64Array,
): LineSearchResult {
  const c1 = 1e-4;
  const c2 = 0.9;
  let evaluations = 0;
  const phi = (t: number): { f: number; dg: number } => {
    xNew.set(x);
    axpy(xNew, t, d);
    const fv = fg(xNew, gNew);
    evaluations++;
    return { f: fv, dg: dot(gNew, d) };
  };
  void g0;

  let tPrev = 0;
  let fPrev = f0;
  let dgPrev = dg0;
  let t = 1;
  for (let i = 0; i < 25; i++) {
    const cur = phi(t);
    if (!Number.isFinite(cur.f)) { t = (tPrev + t) / 2; continue; }
    if (cur.f > f0 + c1 * t * dg0 || (i > 0 && cur.f >= fPrev)) {
      return zoom(tPrev, fPrev, dgPrev, t, cur.f, cur.dg);
    }
    if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, f: cur.f, evaluations };
    if (cur.dg >= 0) return zoom(t, cur.f, cur.dg, tPrev, fPrev, dgPrev);
    tPrev = t; fPrev = cur.f; dgPrev = cur.dg;
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
        hi = tj; fHi = cur.f; dgHi = cur.dg;
      } else {
        if (Math.abs(cur.dg) <= -c2 * dg0) return { ok: true, f: cur.f, evaluations };
        if (cur.dg * (hi - lo) >= 0) { hi = lo; fHi = fLo; dgHi = dgLo; }
        lo = tj; fLo = cur.f; dgLo = cur.dg;
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
  const d1 = ga + gb - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
}
