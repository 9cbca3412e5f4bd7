export interface MislabelScores {
  /** [n] ≥ 0: how strongly the model disagrees with the human label; 0 = not flagged. */
  score: Float32Array;
  /** [n] class the model believes in for flagged rows, −1 otherwise. */
  suggested: Int32Array;
  /** [K] per-class confident-joint thresholds t_k = mean p_k over rows labeled k (NaN if the class has no rows). */
  thresholds: Float64Array;
}

/**
 * Confident-learning style issue detection (Northcutt et al. 2021): with out-of-sample probabilities
 * probs [n × K] and given labels y [n], row i is flagged when some other class j reaches its per-class threshold
 * (p_ij ≥ t_j) while the given label does not (p_iy < t_y). Score = p_ij* − p_iy for the most confident such j,
 * so ranking by score puts the clearest disagreements first. Probabilities must be out-of-fold (not from a model
 * trained on the same rows) to be meaningful.
 */
export function likelyMislabeled(probs: Float32Array, y: Int32Array, n: number, K: number): MislabelScores {
  const sum = new Float64Array(K);
  const cnt = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    sum[c]! += probs[i * K + c]!;
    cnt[c]! += 1;
  }
  const thresholds = new Float64Array(K);
  for (let k = 0; k < K; k++) thresholds[k] = cnt[k]! > 0 ? sum[k]! / cnt[k]! : NaN;
  const score = new Float32Array(n);
  const suggested = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    const c = y[i]!;
    const pc = probs[o + c]!;
    if (Number.isNaN(pc) || pc >= thresholds[c]!) continue;
    let best = -1;
    let bestP = -Infinity;
    for (let k = 0; k < K; k++) {
      if (k === c) continue;
      const p = probs[o + k]!;
      const t = Number.isNaN(thresholds[k]!) ? 0.5 : thresholds[k]!;
      if (p >= t && p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best >= 0 && bestP > pc) {
      score[i] = bestP - pc;
      suggested[i] = best;
    }
  }
  return { score, suggested, thresholds };
}
