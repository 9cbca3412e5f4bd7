/** A horizontal bar for a probability in [0, 1] with its percentage; the bar is decorative, the number is read. */
export function ProbabilityBar({
  value,
  emphasis = false,
  color,
}: {
  value: number;
  emphasis?: boolean;
  color?: string;
}) {
  const percent = Math.max(0, Math.min(1, value)) * 100;
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100" aria-hidden>
        <div
          className={`h-full rounded-full ${color ? "" : emphasis ? "bg-indigo-500" : "bg-zinc-400"}`}
          style={{ width: `${percent}%`, ...(color ? { backgroundColor: color, opacity: emphasis ? 1 : 0.55 } : {}) }}
        />
      </div>
      <span
        className={`w-12 text-right text-xs tabular-nums ${emphasis ? "font-semibold text-zinc-900" : "text-zinc-600"}`}
      >
        {percent.toFixed(1)}%
      </span>
    </div>
  );
}
