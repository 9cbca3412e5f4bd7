import type { InputHTMLAttributes, ReactNode } from "react";

/** A checkbox with its label (and an optional hint) as one click target. */
export function Checkbox({
  label,
  hint,
  ...props
}: { label: ReactNode; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return (
    <label className="flex cursor-pointer items-start gap-2 text-sm text-zinc-800">
      <input type="checkbox" {...props} className="mt-0.5 h-4 w-4 shrink-0 rounded border-zinc-300 accent-indigo-600" />
      <span>
        {label}
        {hint ? <span className="block text-xs text-zinc-500">{hint}</span> : null}
      </span>
    </label>
  );
}
