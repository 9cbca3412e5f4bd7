"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/trpc/react";

function startOfToday() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d;
}

/**
 * A sitting starts when the Annotate page is opened in this tab; a reload keeps it (sessionStorage lives as long as
 * the tab), a new tab starts a new one.
 */
function sessionStartFor(projectId: number) {
  const key = `margin:session-start:${projectId}`;
  try {
    const stored = Number(window.sessionStorage.getItem(key));
    if (stored > 0) return new Date(stored);
    const now = Date.now();
    window.sessionStorage.setItem(key, String(now));
    return new Date(now);
  } catch {
    return new Date();
  }
}

/**
 * Labels this session (against the project's goal, if it has one), labeled today, what is left and the annotator's
 * pace. "Left" is counted exactly after every saved decision; on very large pools it is the queue's estimate and says
 * so. In the review queue it is the generated examples still waiting for a person.
 */
export function ProgressStrip({
  projectId,
  queueRemaining,
  reviewing,
  saving,
}: {
  projectId: number;
  queueRemaining: number | null;
  reviewing: boolean;
  saving: boolean;
}) {
  const trpc = useTRPC();
  const [since] = useState(startOfToday);
  const [sessionStart] = useState(() => sessionStartFor(projectId));
  const progress = useQuery({
    ...trpc.queue.progress.queryOptions({ projectId, since, sessionStart }),
    refetchInterval: 60_000,
  });
  const data = progress.data;
  const goal = data?.sessionGoal ?? null;
  const left = reviewing
    ? { value: queueRemaining === null ? "–" : queueRemaining.toLocaleString(), note: "generated, to review" }
    : data
      ? {
          value: `${data.remaining.exact ? "" : "≈ "}${data.remaining.count.toLocaleString()}`,
          note: data.remaining.exact ? "unlabeled, exact" : "unlabeled, estimate",
        }
      : { value: "–", note: "unlabeled" };
  return (
    <section className="rounded-lg bg-white px-5 py-3 shadow-xs ring-1 ring-zinc-200" aria-label="Your progress">
      <dl className="flex flex-wrap items-center gap-x-8 gap-y-2">
        <div className="flex items-baseline gap-2">
          <dt className="text-xs text-zinc-600">This session</dt>
          <dd className="text-base font-semibold text-zinc-900 tabular-nums" data-testid="session-count">
            {data ? data.labeledThisSession.toLocaleString() : "–"}
            {goal ? <span className="text-sm font-normal text-zinc-600"> of {goal.toLocaleString()}</span> : null}
          </dd>
        </div>
        <div className="flex items-baseline gap-2">
          <dt className="text-xs text-zinc-600">Labeled today</dt>
          <dd className="text-base font-semibold text-zinc-900 tabular-nums">
            {data ? data.labeledToday.toLocaleString() : "–"}
          </dd>
        </div>
        <div className="flex items-baseline gap-2">
          <dt className="text-xs text-zinc-600">Left in the queue</dt>
          <dd className="text-base font-semibold text-zinc-900 tabular-nums">
            {left.value} <span className="text-xs font-normal text-zinc-600">({left.note})</span>
          </dd>
        </div>
        <div className="flex items-baseline gap-2">
          <dt className="text-xs text-zinc-600">Your labels / min</dt>
          <dd className="text-base font-semibold text-zinc-900 tabular-nums">
            {data?.labelsPerMinute != null ? data.labelsPerMinute.toFixed(1) : "–"}{" "}
            <span className="text-xs font-normal text-zinc-600">(last 30 min)</span>
          </dd>
        </div>
      </dl>
      <p className="mt-1 text-right text-xs text-zinc-600" aria-live="polite">
        {saving ? "Saving…" : "All labels saved"}
      </p>
      {goal && data ? (
        <div className="mt-2 flex items-center gap-3">
          <ProgressBar value={data.labeledThisSession / goal} label="Session goal" />
          <span className="shrink-0 text-xs text-zinc-600">
            {data.labeledThisSession >= goal
              ? "Goal reached"
              : `${(goal - data.labeledThisSession).toLocaleString()} to go`}
          </span>
        </div>
      ) : null}
    </section>
  );
}
