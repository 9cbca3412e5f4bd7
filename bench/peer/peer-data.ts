import fs from "node:fs";
import path from "node:path";
import { createRng } from "@/ml/rng";

/** A matrix both sides read: raw little-endian float32 rows [rows × d] and, for labeled sets, int32 labels [rows]. */
export interface PeerSet {
  x: string;
  y: string | null;
  rows: number;
  d: number;
  K: number;
  X: Float32Array;
  labels: Int32Array | null;
}

function writeArray(file: string, a: Float32Array | Int32Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // In pieces: one Buffer view of a 1.5 GB array is fine, but writeFileSync refuses more than 2 GiB in one call.
  const fd = fs.openSync(`${file}.tmp`, "w");
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let o = 0; o < bytes.length; o += 1 << 28)
    fs.writeSync(fd, bytes.subarray(o, Math.min(bytes.length, o + (1 << 28))));
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
}

function readF32(file: string, length: number): Float32Array | null {
  if (!fs.existsSync(file) || fs.statSync(file).size !== length * 4) return null;
  const out = new Float32Array(length);
  const fd = fs.openSync(file, "r");
  const bytes = new Uint8Array(out.buffer);
  for (let o = 0; o < bytes.length; o += 1 << 28) fs.readSync(fd, bytes, o, Math.min(1 << 28, bytes.length - o), o);
  fs.closeSync(fd);
  return out;
}

/** Writes (once) and returns a set; `make` runs only when a cached file is missing or has the wrong size. */
export async function peerSet(
  dir: string,
  name: string,
  shape: { rows: number; d: number; K: number; labeled: boolean },
  make: () => { X: Float32Array; y: Int32Array | null } | Promise<{ X: Float32Array; y: Int32Array | null }>,
): Promise<PeerSet> {
  const { rows, d, K, labeled } = shape;
  const x = path.join(dir, `${name}.x.f32`);
  const y = path.join(dir, `${name}.y.i32`);
  let X = readF32(x, rows * d);
  let labels: Int32Array | null = null;
  if (labeled && X && fs.existsSync(y) && fs.statSync(y).size === rows * 4)
    labels = new Int32Array(new Uint8Array(fs.readFileSync(y)).buffer);
  if (!X || (labeled && !labels)) {
    const made = await make();
    X = made.X;
    labels = made.y;
    writeArray(x, X);
    if (labels) writeArray(y, labels);
  }
  return { x, y: labeled ? y : null, rows, d, K, X, labels };
}

/**
 * Class blobs: centers uniform in [−spread/2, spread/2]^d, each row its class center plus uniform noise in [−1, 1]
 * per feature, classes in turn. A small spread makes the classes overlap (a loss near that of real text sets, where
 * a few new labels move the optimum); section-speed's spread of 1 is separable, and its warm start has nothing to
 * do. Seeded, so both sides and every run see the same rows.
 */
export function blobs(
  n: number,
  d: number,
  K: number,
  seed: number,
  spread: number,
): { X: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const centers = Float32Array.from({ length: K * d }, () => spread * (rng.next() - 0.5));
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % K;
    y[i] = c;
    for (let j = 0; j < d; j++) X[i * d + j] = centers[c * d + j]! + 2 * (rng.next() - 0.5);
  }
  return { X, y };
}

/** An unlabeled pool, uniform in [−½, ½]^d. */
export function uniformPool(n: number, d: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const X = new Float32Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.next() - 0.5;
  return X;
}
