"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { GuidelinesView, type Guidelines } from "../../_components/guidelines-view";

/** The guidelines in full, shown when a sitting starts (and again when they change during one). */
export function GuidelinesDialog({
  guidelines,
  changed,
  keyOf,
  onClose,
}: {
  guidelines: Guidelines;
  changed: boolean;
  keyOf: Map<number, string>;
  onClose: () => void;
}) {
  const start = useRef<HTMLButtonElement>(null);
  useEffect(() => start.current?.focus(), []);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-zinc-900/30 p-4">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="guidelines-title"
        className="flex max-h-[90vh] w-full max-w-2xl flex-col rounded-lg bg-white shadow-lg"
      >
        <div className="border-b border-zinc-100 px-5 py-4">
          <h2 id="guidelines-title" className="text-base font-semibold">
            Guidelines
          </h2>
          <p className="text-xs text-zinc-600">
            {changed
              ? `They changed while you were labeling: now revision ${guidelines.revision}.`
              : `Revision ${guidelines.revision}. Read them before you start;`}{" "}
            They stay in the side panel, and <Kbd>?</Kbd> shows them in full.
          </p>
        </div>
        <div className="overflow-y-auto px-5 py-4">
          <GuidelinesView guidelines={guidelines} keyOf={keyOf} />
        </div>
        <div className="flex justify-end border-t border-zinc-100 px-5 py-3">
          <Button ref={start} onClick={onClose}>
            Start labeling <Kbd>Enter</Kbd>
          </Button>
        </div>
      </div>
    </div>
  );
}
