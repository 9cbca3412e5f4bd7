/**
 * A signed change between two scores, in percentage points. Green when it moves the good way, red otherwise;
 * grey and marked "n.s." when a test found it not significant, so noise does not look like news. `significant`
 * null means no test was run: coloured by direction only, in a lighter tone.
 */
export function Delta({
  value,
  higherIsBetter = true,
  significant = true,
  digits = 1,
}: {
  value: number;
  higherIsBetter?: boolean;
  significant?: boolean | null;
  digits?: number;
}) {
  const points = value * 100;
  const flat = Math.abs(points) < 0.05;
  const good = higherIsBetter ? points > 0 : points < 0;
  const tone = flat
    ? "text-zinc-500"
    : significant === false
      ? "text-zinc-500"
      : significant === null
        ? good
          ? "text-emerald-600"
          : "text-red-600"
        : good
          ? "font-semibold text-emerald-700"
          : "font-semibold text-red-700";
  const arrow = flat ? "" : points > 0 ? "▲ " : "▼ ";
  return (
    <span className={`tabular-nums ${tone}`}>
      <span aria-hidden>{arrow}</span>
      {flat ? "±0.0" : `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(digits)}`} pt
      {significant === false && !flat ? " (n.s.)" : ""}
    </span>
  );
}
