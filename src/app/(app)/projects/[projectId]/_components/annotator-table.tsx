"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);

/** Who labeled what, how fast, and how their labels compare with the majority and with the model. */
export function AnnotatorTable({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const stats = useQuery({ ...trpc.labels.annotators.queryOptions({ projectId }), refetchInterval: 30_000 });
  return (
    <Card title="Annotators">
      {stats.error ? (
        <InlineError error={stats.error} />
      ) : !stats.data ? (
        <p className="text-sm text-zinc-500">Loading…</p>
      ) : stats.data.length === 0 ? (
        <p className="text-sm text-zinc-500">Nobody has labeled in this project yet.</p>
      ) : (
        <div
          className="-mx-4 overflow-x-auto"
          tabIndex={0}
          role="region"
          aria-label="Annotator statistics, scrolls sideways"
        >
          <table className="w-full text-sm">
            <caption className="sr-only">Annotator statistics</caption>
            <thead>
              <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500">
                <th className="px-4 py-1.5 font-medium">Annotator</th>
                <th className="px-2 py-1.5 text-right font-medium">Labels</th>
                <th className="px-2 py-1.5 text-right font-medium">Skips</th>
                <th className="px-2 py-1.5 text-right font-medium" title="Median time on an item">
                  s / label
                </th>
                <th
                  className="px-2 py-1.5 text-right font-medium"
                  title="Share of their votes that match the majority, on items with several votes"
                >
                  With majority
                </th>
                <th
                  className="px-4 py-1.5 text-right font-medium"
                  title="Share of their labels that match the prediction they were shown"
                >
                  With model
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.data.map((a) => (
                <tr key={a.userId} className="border-b border-zinc-100 last:border-0">
                  <td className="px-4 py-1.5">
                    <span className="font-medium text-zinc-900">{a.name}</span>{" "}
                    <span className="text-xs text-zinc-500">{a.email}</span>
                  </td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{a.labels.toLocaleString()}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">{a.skips.toLocaleString()}</td>
                  <td className="px-2 py-1.5 text-right tabular-nums">
                    {a.medianSecondsPerLabel === null ? "–" : a.medianSecondsPerLabel.toFixed(1)}
                  </td>
                  <td
                    className="px-2 py-1.5 text-right tabular-nums"
                    title={`${a.itemsWithSeveralVotes} items with several votes`}
                  >
                    {percent(a.agreementWithMajority)}
                  </td>
                  <td className="px-4 py-1.5 text-right tabular-nums">{percent(a.agreementWithModel)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
