"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/router-outputs";

export type MyDecision = RouterOutputs["labels"]["mine"][number];

const HISTORY_SIZE = 10;

/** The annotator's last decisions in this project; a current one can be reopened and changed. */
export function HistoryPanel({
  projectId,
  nameOf,
  onReopen,
}: {
  projectId: number;
  nameOf: Map<number, string>;
  onReopen: (decision: MyDecision) => void;
}) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.labels.mine.queryOptions({ projectId, limit: HISTORY_SIZE }));
  return (
    <section className="rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200" aria-labelledby="history-heading">
      <h2 id="history-heading" className="text-sm font-semibold text-zinc-900">
        Your last decisions
      </h2>
      {mine.data && mine.data.length === 0 ? (
        <p className="mt-2 text-xs text-zinc-600">None yet in this project.</p>
      ) : null}
      <ol className="mt-2 space-y-1" aria-label="Your last decisions">
        {mine.data?.map((d) => {
          const decided = d.skipped
            ? `skipped${d.skipReason ? ` (${d.skipReason})` : ""}`
            : d.classIds.map((id) => nameOf.get(id) ?? `#${id}`).join(", ") || "no class";
          return (
            <li key={d.annotationId}>
              {d.current ? (
                <button
                  type="button"
                  onClick={() => onReopen(d)}
                  className="w-full rounded-md px-2 py-1.5 text-left text-xs hover:bg-zinc-100"
                >
                  <span className="sr-only">Reopen </span>
                  <span className="block truncate text-zinc-800">{d.item.text}</span>
                  <span className="text-zinc-600">
                    #{d.item.id} · <strong className="font-medium text-zinc-800">{decided}</strong>
                  </span>
                </button>
              ) : (
                <div className="px-2 py-1.5 text-xs">
                  <span className="block truncate text-zinc-600">{d.item.text}</span>
                  <span className="text-zinc-600">
                    #{d.item.id} · {decided} · changed since
                  </span>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
