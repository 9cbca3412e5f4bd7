"use client";

import { Kbd } from "@/components/ui/kbd";
import { Markdown } from "@/components/ui/markdown";
import type { RouterOutputs } from "@/trpc/router-outputs";

export type Guidelines = RouterOutputs["guidelines"]["get"];

/**
 * The guidelines as annotators read them: the project's instructions, then per class its description, examples and
 * counter-examples. `compact` (the Annotate side panel) shows at most two of each per class.
 */
export function GuidelinesView({
  guidelines,
  keyOf,
  compact = false,
}: {
  guidelines: Guidelines;
  keyOf?: Map<number, string>;
  compact?: boolean;
}) {
  const limit = compact ? 2 : Infinity;
  return (
    <div className="space-y-4">
      {guidelines.instructions.trim() ? <Markdown source={guidelines.instructions} /> : null}
      <dl className="space-y-3">
        {guidelines.classes.map((c) => (
          <div key={c.id}>
            <dt className="flex items-center gap-2 text-sm font-medium text-zinc-800">
              <span className="size-2.5 rounded-full" style={{ backgroundColor: c.color }} aria-hidden />
              {c.name}
              {keyOf?.get(c.id) ? <Kbd>{keyOf.get(c.id)}</Kbd> : null}
            </dt>
            <dd className="mt-0.5 space-y-1 text-xs leading-relaxed text-zinc-600">
              <p>{c.description || <span className="italic">No description.</span>}</p>
              {c.examples.length ? (
                <ExampleList
                  title={`Examples of ${c.name}`}
                  label="Example"
                  examples={c.examples.slice(0, limit)}
                  more={c.examples.length - Math.min(limit, c.examples.length)}
                  tone="text-emerald-800"
                />
              ) : null}
              {c.counterExamples.length ? (
                <ExampleList
                  title={`Not ${c.name}`}
                  label="Not this class"
                  examples={c.counterExamples.slice(0, limit)}
                  more={c.counterExamples.length - Math.min(limit, c.counterExamples.length)}
                  tone="text-red-800"
                />
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ExampleList({
  title,
  label,
  examples,
  more,
  tone,
}: {
  title: string;
  label: string;
  examples: Guidelines["classes"][number]["examples"];
  more: number;
  tone: string;
}) {
  return (
    <ul aria-label={title} className="space-y-0.5">
      {examples.map((e) => (
        <li key={e.id} className="flex gap-1.5">
          <span className={`shrink-0 font-medium ${tone}`}>{label === "Example" ? "✓" : "✗"}</span>
          <span className="sr-only">{label}: </span>
          <span className="[overflow-wrap:anywhere]">
            “{e.text}”{e.note ? <span className="text-zinc-600"> — {e.note}</span> : null}
          </span>
        </li>
      ))}
      {more > 0 ? <li className="text-zinc-600">and {more} more (press ?)</li> : null}
    </ul>
  );
}
