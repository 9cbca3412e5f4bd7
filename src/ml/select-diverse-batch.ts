export interface DiverseBatchOptions {
  /** Candidates whose cosine similarity to an already chosen item exceeds this are skipped. Default 0.95. */
  maxCosine?: number;
  /**
   * "dedupe": walk candidates in priority order, skip near-duplicates of chosen items.
   * "kcenter": k-center greedy — start from the top-priority item, then repeatedly take the candidate farthest
   * (cosine distance) from everything chosen, weighted by priority rank. Default "dedupe".
   */
  method?: "dedupe" | "kcenter";
}

/**
 * Picks a batch of `size` candidates (given best-first, e.g. the top 5–10 × size of a TopKSelector) so that no two
 * chosen items are near-duplicates. emb: Float32Array [m × d] row-major, the candidates' vectors in priority order.
 * Returns positions into the candidate list, in pick order. Falls back to the remaining best candidates when fewer
 * than `size` pass the similarity filter, so the batch is always full when m ≥ size.
 */
export function selectDiverseBatch(
  emb: Float32Array,
  m: number,
  d: number,
  size: number,
  options: DiverseBatchOptions = {},
): number[] {
  const maxCos = options.maxCosine ?? 0.95;
  const norms = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += emb[i * d + j]! * emb[i * d + j]!;
    norms[i] = Math.sqrt(s) || 1;
  }
  const cos = (a: number, b: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += emb[a * d + j]! * emb[b * d + j]!;
    return s / (norms[a]! * norms[b]!);
  };
  const chosen: number[] = [];
  const taken = new Uint8Array(m);
  const target = Math.min(size, m);
  if (target <= 0) return chosen;
  // maxSim[i]: largest cosine from candidate i to any chosen item.
  const maxSim = new Float64Array(m).fill(-Infinity);
  const take = (i: number): void => {
    chosen.push(i);
    taken[i] = 1;
    for (let j = 0; j < m; j++)
      if (!taken[j]) {
        const c = cos(i, j);
        if (c > maxSim[j]!) maxSim[j] = c;
      }
  };
  take(0);
  while (chosen.length < target) {
    let pick = -1;
    if ((options.method ?? "dedupe") === "dedupe") {
      for (let i = 0; i < m; i++)
        if (!taken[i] && maxSim[i]! <= maxCos) {
          pick = i;
          break;
        }
    } else {
      // Farthest-first with a mild preference for higher-priority (earlier) candidates.
      let best = -Infinity;
      for (let i = 0; i < m; i++) {
        if (taken[i] || maxSim[i]! > maxCos) continue;
        const v = (1 - maxSim[i]!) * (1 - 0.5 * (i / m));
        if (v > best) {
          best = v;
          pick = i;
        }
      }
    }
    if (pick < 0)
      for (let i = 0; i < m; i++)
        if (!taken[i]) {
          pick = i;
          break;
        }
    take(pick);
  }
  return chosen;
}
