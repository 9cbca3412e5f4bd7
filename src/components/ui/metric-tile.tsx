import type { ReactNode } from "react";

/** A headline number with its label and an optional note (a delta, a sample size) under it. */
export function MetricTile({
  label,
  value,
  note,
  hint,
}: {
  label: string;
  value: ReactNode;
  note?: ReactNode;
  hint?: string;
}) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 shadow-xs ring-1 ring-zinc-200">
      <dt className="text-xs font-medium text-zinc-500" title={hint}>
        {label}
      </dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums">{value}</dd>
      {note ? <dd className="mt-0.5 text-xs text-zinc-500">{note}</dd> : null}
    </div>
  );
}
