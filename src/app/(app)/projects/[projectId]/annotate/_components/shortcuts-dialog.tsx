"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { GuidelinesView, type Guidelines } from "../../_components/guidelines-view";
import type { ChoiceClass } from "./class-choices";

/** `?`: the keys, then the guidelines in full (examples included, which the side panel shortens). */
export function ShortcutsDialog({
  classes,
  keyOf,
  multilabel,
  guidelines,
  onClose,
}: {
  classes: ChoiceClass[];
  keyOf: Map<number, string>;
  multilabel: boolean;
  guidelines?: Guidelines;
  onClose: () => void;
}) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const rows: [string, string][] = [
    ...classes
      .filter((c) => keyOf.has(c.id))
      .map((c) => [keyOf.get(c.id)!, multilabel ? `toggle “${c.name}”` : `label as “${c.name}”`] as [string, string]),
    [
      "Enter",
      multilabel ? "submit the selected classes (the model's guess is preselected)" : "accept the model's prediction",
    ],
    ["Space", "skip (with the reason chosen beside the Skip button)"],
    ["Z or Backspace", "undo your last label and show that item again"],
    ["?", "show or hide this list and the guidelines"],
  ];
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-zinc-900/30 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        className="max-h-[90vh] w-full max-w-xl overflow-y-auto rounded-lg bg-white p-5 shadow-lg"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcuts-title" className="text-base font-semibold">
          Keyboard shortcuts
        </h2>
        <table className="mt-3 w-full text-sm">
          <tbody>
            {rows.map(([key, what]) => (
              <tr key={key + what} className="border-t border-zinc-100">
                <td className="py-1.5 pr-4 whitespace-nowrap">
                  <Kbd>{key}</Kbd>
                </td>
                <td className="py-1.5 text-zinc-700">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {guidelines ? (
          <section aria-labelledby="dialog-guidelines-title" className="mt-5 border-t border-zinc-200 pt-4">
            <h3 id="dialog-guidelines-title" className="mb-2 text-sm font-semibold">
              Guidelines · revision {guidelines.revision}
            </h3>
            <GuidelinesView guidelines={guidelines} keyOf={keyOf} />
          </section>
        ) : null}
        <div className="mt-4 flex justify-end">
          <Button ref={close} variant="secondary" onClick={onClose}>
            Close <Kbd>Esc</Kbd>
          </Button>
        </div>
      </div>
    </div>
  );
}
