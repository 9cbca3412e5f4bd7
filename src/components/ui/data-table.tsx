import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/** A full-width table in a card frame that scrolls sideways on narrow screens; `label` names it for screen readers. */
export function DataTable({ label, children, footer }: { label: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-xs ring-1 ring-zinc-200">
      {/* Focusable so keyboard users can scroll a wide table sideways on a narrow screen. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`${label}, scrolls sideways`}>
        <table className="w-full border-collapse text-left text-sm" aria-label={label}>
          {children}
        </table>
      </div>
      {footer ? <div className="border-t border-zinc-100 px-4 py-2.5">{footer}</div> : null}
    </div>
  );
}

export function Th({ className = "", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      {...props}
      className={`border-b border-zinc-200 bg-zinc-50 px-3 py-2 text-xs font-medium whitespace-nowrap text-zinc-600 ${className}`}
    />
  );
}

export function Td({ className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td {...props} className={`px-3 py-2.5 align-top ${className}`} />;
}
