/**
 * Compressed sparse rows: row i's non-zeros are indices/values[indptr[i] .. indptr[i+1]), column indices ascending
 * within a row. The n-gram block of the hybrid featurizer is one of these; nothing densifies it.
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** [rows + 1] offsets into indices/values. */
  indptr: Int32Array;
  /** [nnz] column of each stored value. */
  indices: Int32Array;
  /** [nnz] */
  values: Float32Array;
}

/** The rows `idx` of A, in that order (a training fold, a sample). */
export function csrRows(A: CsrMatrix, idx: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let r = 0; r < idx.length; r++) nnz += A.indptr[idx[r]! + 1]! - A.indptr[idx[r]!]!;
  const indptr = new Int32Array(idx.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let r = 0; r < idx.length; r++) {
    const a = A.indptr[idx[r]!]!;
    const b = A.indptr[idx[r]! + 1]!;
    indices.set(A.indices.subarray(a, b), p);
    values.set(A.values.subarray(a, b), p);
    p += b - a;
    indptr[r + 1] = p;
  }
  return { rows: idx.length, cols: A.cols, indptr, indices, values };
}

/** An all-zero matrix with `rows` rows (texts with no known feature). */
export function emptyCsr(rows: number, cols: number): CsrMatrix {
  return { rows, cols, indptr: new Int32Array(rows + 1), indices: new Int32Array(0), values: new Float32Array(0) };
}
