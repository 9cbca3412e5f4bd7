import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** Previous/next controls for cursor-paged lists (no page numbers: keyset pages have none). */
export function Pager({
  summary,
  onPrevious,
  onNext,
  label = "Pages",
}: {
  summary: ReactNode;
  onPrevious?: () => void;
  onNext?: () => void;
  label?: string;
}) {
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-3 text-sm text-zinc-600">
      <span>{summary}</span>
      <span className="flex gap-2">
        <Button variant="secondary" onClick={onPrevious} disabled={!onPrevious}>
          ← Previous
        </Button>
        <Button variant="secondary" onClick={onNext} disabled={!onNext}>
          Next →
        </Button>
      </span>
    </nav>
  );
}
