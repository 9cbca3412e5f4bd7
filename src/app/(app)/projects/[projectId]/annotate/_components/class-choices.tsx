"use client";

import { Kbd } from "@/components/ui/kbd";
import type { QueueEntry } from "./use-annotation-queue";

export interface ChoiceClass {
  id: number;
  name: string;
  description: string;
  hotkey: string | null;
  color: string;
}

/**
 * One button per class with the model's probability as a bar behind it. Single-label: a click labels the item.
 * Multi-label: a click toggles the class; the selection is submitted with Enter.
 */
export function ClassChoices({
  classes,
  keyOf,
  prediction,
  multilabel,
  selected,
  onChoose,
}: {
  classes: ChoiceClass[];
  keyOf: Map<number, string>;
  prediction: QueueEntry["prediction"];
  multilabel: boolean;
  selected: number[];
  onChoose: (classId: number) => void;
}) {
  const probabilityOf = new Map(prediction?.probabilities.map((p) => [p.classId, p.probability]) ?? []);
  const predicted = new Set(prediction?.predictedClassIds ?? []);
  return (
    <div
      role="group"
      aria-label={multilabel ? "Classes (toggle, then submit)" : "Choose a class"}
      className="grid gap-2 sm:grid-cols-2 2xl:grid-cols-3"
    >
      {classes.map((c) => {
        const p = probabilityOf.get(c.id);
        const isSelected = selected.includes(c.id);
        const isPredicted = predicted.has(c.id);
        return (
          <button
            key={c.id}
            type="button"
            onClick={() => onChoose(c.id)}
            // A mouse click must not move keyboard focus onto the button: Enter would then toggle it again
            // instead of submitting (keyboard users can still Tab to it).
            onMouseDown={(event) => event.preventDefault()}
            aria-pressed={multilabel ? isSelected : undefined}
            aria-label={`${c.name}${p !== undefined ? `, model ${Math.round(p * 100)}%` : ""}${isPredicted ? ", predicted" : ""}`}
            className={`relative overflow-hidden rounded-lg bg-white px-3 py-2.5 text-left shadow-xs ring-1 transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
              isSelected
                ? "ring-2 ring-indigo-600"
                : isPredicted
                  ? "ring-indigo-300"
                  : "ring-zinc-200 hover:ring-zinc-400"
            }`}
          >
            {p !== undefined ? (
              <span
                aria-hidden
                className="absolute inset-y-0 left-0 opacity-15"
                style={{ width: `${Math.max(1, p * 100)}%`, backgroundColor: c.color }}
              />
            ) : null}
            <span className="relative flex items-center gap-2">
              <span className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: c.color }} aria-hidden />
              <span className="truncate text-sm font-medium text-zinc-900">{c.name}</span>
              {isPredicted ? (
                <span className="rounded bg-indigo-50 px-1.5 text-[10px] font-medium tracking-wide text-indigo-700 uppercase">
                  model
                </span>
              ) : null}
              <span className="ml-auto flex items-center gap-2 text-xs text-zinc-500 tabular-nums">
                {p !== undefined ? `${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%` : null}
                {keyOf.get(c.id) ? <Kbd>{keyOf.get(c.id)}</Kbd> : null}
              </span>
            </span>
          </button>
        );
      })}
    </div>
  );
}
