import { csrRows, type CsrMatrix } from "@/ml/sparse-matrix";

/**
 * The features of n texts as the hybrid classifier sees them: a dense block (sentence vectors) and/or a sparse
 * block (TF-IDF n-grams). Either may be absent; when both are present row i of one belongs to row i of the other.
 */
export interface FeatureRows {
  n: number;
  /** [n × d] row-major, or null for a sparse-only model. */
  dense: Float32Array | null;
  /** Columns of the dense block (0 when dense is null). */
  d: number;
  /** [n × V] non-negative, each row's L2 norm ≤ 1; null for a dense-only model. */
  sparse: CsrMatrix | null;
}

/** The rows `idx` of `rows`, in that order (a fold, a holdout, a sample). */
export function featureRowsSubset(rows: FeatureRows, idx: ArrayLike<number>): FeatureRows {
  let dense: Float32Array | null = null;
  if (rows.dense) {
    const d = rows.d;
    dense = new Float32Array(idx.length * d);
    for (let r = 0; r < idx.length; r++) {
      const i = idx[r]!;
      if (i < 0 || i >= rows.n) throw new Error(`featureRowsSubset: row ${i} out of range [0, ${rows.n})`);
      dense.set(rows.dense.subarray(i * d, i * d + d), r * d);
    }
  }
  return { n: idx.length, dense, d: rows.dense ? rows.d : 0, sparse: rows.sparse ? csrRows(rows.sparse, idx) : null };
}

/** Throws when the blocks disagree on n or the dense array is too short: a mismatch would silently mix rows. */
export function checkFeatureRows(rows: FeatureRows, where: string): void {
  if (!rows.dense && !rows.sparse) throw new Error(`${where}: neither a dense nor a sparse block`);
  if (rows.dense && rows.dense.length < rows.n * rows.d)
    throw new Error(`${where}: dense has ${rows.dense.length} values, expected ${rows.n} × ${rows.d}`);
  if (rows.sparse && rows.sparse.rows !== rows.n)
    throw new Error(`${where}: sparse has ${rows.sparse.rows} rows, expected ${rows.n}`);
}
