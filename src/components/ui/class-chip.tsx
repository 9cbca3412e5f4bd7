/** A class name with its color dot; `muted` for predictions (what the model thinks, not a label). */
export function ClassChip({ name, color, muted = false }: { name: string; color?: string; muted?: boolean }) {
  return (
    <span
      className={`inline-flex max-w-full items-center gap-1.5 rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${muted ? "bg-white text-zinc-600 ring-zinc-200" : "bg-zinc-50 text-zinc-800 ring-zinc-200"}`}
    >
      <span aria-hidden className="h-2 w-2 shrink-0 rounded-full" style={{ background: color ?? "#a1a1aa" }} />
      <span className="truncate">{name}</span>
    </span>
  );
}
