/**
 * Exact two-sided McNemar test: under H0 the b discordant pairs (A right, B wrong) among b + c are Binomial(b + c, ½).
 * p = min(1, 2 · P[X ≤ min(b, c)]). Computed in log space, so large counts do not underflow.
 */
export function mcnemarExact(b: number, c: number): number {
  const m = b + c;
  if (m === 0) return 1;
  const lo = Math.min(b, c);
  // log pmf(i) = log C(m, i) − m log 2, accumulated iteratively.
  let logPmf = -m * Math.LN2;
  let logCdf = logPmf;
  for (let i = 0; i < lo; i++) {
    logPmf += Math.log((m - i) / (i + 1));
    logCdf =
      logCdf > logPmf ? logCdf + Math.log1p(Math.exp(logPmf - logCdf)) : logPmf + Math.log1p(Math.exp(logCdf - logPmf));
  }
  return Math.min(1, 2 * Math.exp(logCdf));
}
