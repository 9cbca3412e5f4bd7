// z for a two-sided 95% interval.
const Z95 = 1.959963984540054;

/**
 * Wilson score interval of a proportion (successes of n): unlike p ± z·se it stays inside [0, 1] and is honest at
 * 0/n and n/n and on the small counts a young test set has. n = 0: the whole range.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): [number, number] {
  if (!Number.isFinite(n) || n <= 0) return [0, 1];
  if (successes < 0 || successes > n) throw new RangeError(`wilsonInterval: ${successes} successes of ${n}`);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}
