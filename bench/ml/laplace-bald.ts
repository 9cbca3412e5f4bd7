import type { ClassifierModel } from "@/ml/classifier-model";
import { computeLogitsRows } from "@/ml/classifier-model";
import type { FeatureRows } from "@/ml/feature-rows";
import { ngramMatrix } from "@/ml/ngram-vocabulary";
import { createRng } from "@/ml/rng";

/**
 * BALD (Houlsby et al. 2011) for a single-label hybrid model under a diagonal Laplace approximation of its posterior
 * (MacKay 1992): margin sampling ranks by how close the two top classes are, which on two-class sentiment also picks
 * texts that are ambiguous by nature — a label there teaches little. The mutual information between a text's label
 * and the weights, I = H[E p] − E[H[p]], is high only where the weights are unsure (the text's features are poorly
 * pinned by the labels so far), not where the answer is a coin flip for every plausible model.
 *
 * Posterior precision of weight j of class k: 1/C + Σ_i p_ik (1 − p_ik) x_ij² over the labeled rows (the trainer's
 * objective is the mean log-loss + λ/2 ‖θ‖², λ = 1/(C·n), i.e. prior precision 1/C in sum form), x the standardized
 * dense features and the n-gram block times its weight α. A text's logit k has variance Σ_j x_j² / A_jk; I is
 * estimated with `samples` Gaussian draws of the logits (tempered like the served model). Bench only.
 * Returns a priority per pool row (higher = ask first); labeled rows get −Infinity.
 */
export function laplaceBald(
  model: ClassifierModel,
  pool: { n: number; X: Float32Array; texts: string[] },
  labeled: Uint8Array,
  options: { seed: number; samples?: number },
): Float64Array {
  if (model.task !== "single-label") throw new Error("laplaceBald: single-label models only");
  const K = model.classes.length;
  const d = model.dim;
  const n = pool.n;
  const S = options.samples ?? 32;
  const sel = model.metrics.selection as { C?: number } | undefined;
  const trainedRows = (model.metrics.trainedRows as number | undefined) ?? 1;
  const l2 = (model.metrics.l2 as number | undefined) ?? 1 / ((sel?.C ?? 1) * trainedRows);
  const prior = l2 * trainedRows;
  const sparse = model.sparse ? ngramMatrix(model.sparse.vocabulary, pool.texts) : null;
  const rows: FeatureRows = { n, dense: d > 0 ? pool.X : null, d, sparse };
  const z = computeLogitsRows(model.sparse ? { ...model, sparse: model.sparse } : model, rows);
  const alpha = model.sparse?.blockWeight ?? 0;
  const V = sparse?.cols ?? 0;

  // Precision A [d × K] (dense) and [V × K] (sparse) from the labeled rows at the trained (untempered) probabilities.
  const Ad = new Float64Array(d * K).fill(prior);
  const As = new Float64Array(V * K).fill(prior);
  const p = new Float64Array(K);
  const softmaxRow = (i: number, T: number, out: Float64Array): void => {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, z[i * K + k]! / T);
    let s = 0;
    for (let k = 0; k < K; k++) s += out[k] = Math.exp(z[i * K + k]! / T - mx);
    for (let k = 0; k < K; k++) out[k] = out[k]! / s;
  };
  const xd = new Float64Array(d);
  const denseSquares = (i: number): void => {
    for (let j = 0; j < d; j++) {
      const v = (pool.X[i * d + j]! - model.mean[j]!) / model.scale[j]!;
      xd[j] = v * v;
    }
  };
  for (let i = 0; i < n; i++) {
    if (!labeled[i]) continue;
    softmaxRow(i, 1, p);
    denseSquares(i);
    for (let k = 0; k < K; k++) {
      const h = p[k]! * (1 - p[k]!);
      for (let j = 0; j < d; j++) Ad[j * K + k] = Ad[j * K + k]! + h * xd[j]!;
    }
    if (sparse)
      for (let q = sparse.indptr[i]!; q < sparse.indptr[i + 1]!; q++) {
        const v = alpha * sparse.values[q]!;
        const c = sparse.indices[q]!;
        for (let k = 0; k < K; k++) As[c * K + k] = As[c * K + k]! + p[k]! * (1 - p[k]!) * v * v;
      }
  }

  const T = model.temperature;
  const rng = createRng(options.seed);
  const out = new Float64Array(n).fill(-Infinity);
  const sd = new Float64Array(K);
  const mean = new Float64Array(K);
  const pbar = new Float64Array(K);
  const ps = new Float64Array(K);
  const gauss = (): number => {
    const u = Math.max(rng.next(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  for (let i = 0; i < n; i++) {
    if (labeled[i]) continue;
    denseSquares(i);
    for (let k = 0; k < K; k++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += xd[j]! / Ad[j * K + k]!;
      if (sparse)
        for (let q = sparse.indptr[i]!; q < sparse.indptr[i + 1]!; q++) {
          const x = alpha * sparse.values[q]!;
          v += (x * x) / As[sparse.indices[q]! * K + k]!;
        }
      sd[k] = Math.sqrt(v) / T;
      mean[k] = z[i * K + k]! / T;
    }
    pbar.fill(0);
    let meanEntropy = 0;
    for (let s = 0; s < S; s++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        ps[k] = mean[k]! + sd[k]! * gauss();
        mx = Math.max(mx, ps[k]!);
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += ps[k] = Math.exp(ps[k]! - mx);
      for (let k = 0; k < K; k++) {
        const q = ps[k]! / sum;
        pbar[k] = pbar[k]! + q / S;
        if (q > 0) meanEntropy -= (q * Math.log(q)) / S;
      }
    }
    let h = 0;
    for (let k = 0; k < K; k++) if (pbar[k]! > 0) h -= pbar[k]! * Math.log(pbar[k]!);
    out[i] = h - meanEntropy;
  }
  return out;
}
