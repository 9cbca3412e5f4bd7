import { expect } from "vitest";

export interface Tolerance {
  /** Absolute tolerance. Default 0. */
  abs?: number;
  /** Relative tolerance (of |expected|). Default 0. */
  rel?: number;
}

/**
 * Asserts |actual − expected| ≤ abs + rel·|expected| element-wise. Arrays must have equal length.
 * NaN never matches (a NaN result is always a bug in this code base), except NaN expected for NaN actual.
 */
export function expectClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tol: Tolerance = {},
): void {
  const abs = tol.abs ?? 0;
  const rel = tol.rel ?? 0;
  if (abs === 0 && rel === 0) throw new Error("expectClose: give an abs or rel tolerance");
  const a = typeof actual === "number" ? [actual] : Array.from(actual);
  const e = typeof expected === "number" ? [expected] : Array.from(expected);
  expect(a.length, "length").toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    const ok = Math.abs(x - y) <= abs + rel * Math.abs(y);
    if (!ok) {
      expect.fail(`expectClose: index ${i}: got ${x}, expected ${y} (abs ${abs}, rel ${rel}, diff ${Math.abs(x - y)})`);
    }
  }
}
