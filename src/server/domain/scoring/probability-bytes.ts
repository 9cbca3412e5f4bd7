/** Probabilities are stored as little-endian float32 (4 bytes per class) in `prediction.probabilities`. */
export function encodeProbabilities(p: Float32Array, offset: number, K: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(K * 4);
  const view = new DataView(out.buffer);
  for (let k = 0; k < K; k++) view.setFloat32(k * 4, p[offset + k]!, true);
  return out;
}

export function decodeProbabilities(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat32(k * 4, true);
  return out;
}
