import type { ReactNode } from "react";

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="ml-1 rounded border border-current/25 px-1 font-mono text-[10px] leading-4">{children}</kbd>;
}
