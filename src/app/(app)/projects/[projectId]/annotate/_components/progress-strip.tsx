"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";

function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

/** Labeled today, what is left, and the annotator's pace. */
export function ProgressStrip({ projectId, remaining, saving }: { projectId: number; remaining: number | null; saving: boolean }) {
  const trpc = useTRPC();
  const [since] = useState(startOfToday);
  const progress = useQuery({ ...trpc.queue.progress.queryOptions({ projectId, since }), refetchInterval: 60_000 });
  const figures = [
    { label: "Labeled today", value: progress.data ? progress.data.labeledToday.toLocaleString() : "–" },
    { label: "Left in the queue", value: remaining === null ? "–" : remaining.toLocaleString() },
    { label: "Your labels / min", value: progress.data?.labelsPerMinute != null ? progress.data.labelsPerMinute.toFixed(1) : "–" },
  ];
  return (
    <dl className="flex flex-wrap items-center gap-x-8 gap-y-2 rounded-lg bg-white px-5 py-3 shadow-xs ring-1 ring-zinc-200" aria-label="Your progress">
      {figures.map((f) => (
        <div key={f.label} className="flex items-baseline gap-2">
          <dt className="text-xs text-zinc-500">{f.label}</dt>
          <dd className="text-base font-semibold text-zinc-900 tabular-nums">{f.value}</dd>
        </div>
      ))}
      <p className="ml-auto text-xs text-zinc-400" aria-live="polite">
        {saving ? "Saving…" : "All labels saved"}
      </p>
    </dl>
  );
}
