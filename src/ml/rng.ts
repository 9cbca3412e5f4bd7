/** Seeded PRNG (mulberry32): deterministic, fast, good enough for sampling and bootstraps (not cryptographic). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** Stateless hash of (seed, index) to [0, 1): lets chunked scoring give the same "random" priority per item. */
export function hashUniform(seed: number, index: number): number {
  let h =
    Math.imul((seed >>> 0) ^ 0x85ebca6b, 0xc2b2ae35) ^
    Math.imul(index >>> 0, 0x27d4eb2f) ^
    Math.floor(index / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Fisher–Yates shuffle in place with a seeded RNG. */
export function shuffleInPlace<T>(arr: T[] | Int32Array, rng: Rng): void {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = arr[i]!;
    arr[i] = arr[j]!;
    arr[j] = t;
  }
}
