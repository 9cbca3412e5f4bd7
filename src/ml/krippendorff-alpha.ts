/**
 * Krippendorff's alpha for nominal data: chance-corrected agreement among any number of annotators, tolerant of
 * missing values (each unit may be labeled by a different subset). α = 1 − D_o / D_e from the coincidence matrix
 * (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). Units with fewer than two values carry no
 * pairing information and are ignored.
 *
 * `units[u]` holds the values (category codes, any integers) the annotators gave unit u.
 * Returns NaN when fewer than two pairable values exist, and 1 when every pairable value is the same category
 * (no disagreement is possible to observe nor expected).
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<ArrayLike<number>>): {
  alpha: number;
  pairableValues: number;
  observedAgreement: number;
} {
  // Coincidences: o[c][k] = Σ_u (number of c–k pairs in u) / (m_u − 1).
  const coincidences = new Map<number, Map<number, number>>();
  let n = 0;
  for (const unit of units) {
    const m = unit.length;
    if (m < 2) continue;
    const counts = new Map<number, number>();
    for (let i = 0; i < m; i++) counts.set(unit[i]!, (counts.get(unit[i]!) ?? 0) + 1);
    for (const [c, nc] of counts) {
      let row = coincidences.get(c);
      if (!row) coincidences.set(c, (row = new Map()));
      for (const [k, nk] of counts) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        row.set(k, (row.get(k) ?? 0) + pairs / (m - 1));
      }
    }
    n += m;
  }
  if (n < 2) return { alpha: Number.NaN, pairableValues: n, observedAgreement: Number.NaN };
  let agreeing = 0;
  const marginals = new Map<number, number>();
  for (const [c, row] of coincidences) {
    let total = 0;
    for (const [k, v] of row) {
      total += v;
      if (k === c) agreeing += v;
    }
    marginals.set(c, total);
  }
  const observedDisagreement = 1 - agreeing / n;
  let sumSquares = 0;
  for (const nc of marginals.values()) sumSquares += nc * nc;
  const expectedDisagreement = (n * n - sumSquares) / (n * (n - 1));
  const alpha = expectedDisagreement === 0 ? 1 : 1 - observedDisagreement / expectedDisagreement;
  return { alpha, pairableValues: n, observedAgreement: agreeing / n };
}
