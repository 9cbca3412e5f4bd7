import os from "node:os";

const LITTLE_ENDIAN_HOST = os.endianness() === "LE";

/**
 * Float32 values of concatenated little-endian vectors (embedding_cache.vector, aggregated by the database) without
 * a per-value decode: a view on the bytes when they are 4-byte aligned, else one bulk copy. Big-endian hosts decode.
 */
export function float32FromBytes(bytes: Uint8Array, count: number): Float32Array {
  if (bytes.byteLength < count * 4)
    throw new Error(`expected ${count * 4} bytes of float32 vectors, got ${bytes.byteLength}`);
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  }
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
  return out;
}

/** Little-endian bytes of float32 values (a view on the same memory on little-endian hosts). */
export function bytesFromFloat32(values: Float32Array): Uint8Array<ArrayBuffer> {
  if (LITTLE_ENDIAN_HOST && values.buffer instanceof ArrayBuffer)
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}
