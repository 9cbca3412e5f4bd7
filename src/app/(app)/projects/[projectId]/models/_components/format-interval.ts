/** A 95% interval of a score in [0, 1] as "58.1–72.4%" (percentage points, one decimal). */
export function interval(ci: [number, number] | null | undefined): string | null {
  if (!ci) return null;
  return `${(ci[0] * 100).toFixed(1)}–${(ci[1] * 100).toFixed(1)}%`;
}
