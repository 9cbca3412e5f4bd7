"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InlineError } from "@/components/ui/inline-error";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/trpc/react";

const live = (state: string | undefined) => state === "queued" || state === "running";

export function GenerationRunDetail({
  runId,
  projectId,
  isAdmin,
  classes,
}: {
  runId: number;
  projectId: number;
  isAdmin: boolean;
  classes: { id: number; name: string }[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.generation.get.queryOptions({ runId }),
    refetchInterval: (q) => (live(q.state.data?.jobRun?.state) ? 1000 : false),
  });
  const cancel = useMutation(
    trpc.generation.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.generation.pathKey() }),
    }),
  );
  const [classId, setClassId] = useState<number | undefined>(undefined);

  if (run.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (run.error) return <InlineError error={run.error} />;
  const r = run.data;
  const job = r.jobRun;
  const kept = r.counts.reduce((sum, c) => sum + c.kept, 0);
  const target = r.targetPerClass * r.classIds.length;
  const dropped = r.counts.reduce((sum, c) => sum + Object.values(c.dropped).reduce((a, b) => a + b, 0), 0);

  return (
    <div className="space-y-6">
      <Card
        title={
          <span className="flex items-center gap-2">
            Run #{r.id}{" "}
            {job ? (
              <Badge
                tone={
                  job.state === "completed"
                    ? "green"
                    : job.state === "failed"
                      ? "red"
                      : job.state === "cancelled"
                        ? "amber"
                        : "indigo"
                }
              >
                {job.state}
              </Badge>
            ) : null}
          </span>
        }
        actions={
          isAdmin && live(job?.state) ? (
            <Button
              variant="danger"
              disabled={cancel.isPending || Boolean(job?.cancelRequestedAt)}
              onClick={() => cancel.mutate({ runId })}
            >
              {job?.cancelRequestedAt ? "Cancelling…" : "Cancel"}
            </Button>
          ) : null
        }
      >
        {cancel.error ? <InlineError error={cancel.error} className="mb-2" /> : null}
        <div className="space-y-1">
          <div className="flex justify-between text-sm">
            <span className="text-zinc-600">
              {kept.toLocaleString()} of {target.toLocaleString()} examples kept
              {dropped ? `, ${dropped.toLocaleString()} dropped` : ""}
            </span>
            <span className="text-zinc-500 tabular-nums">{Math.round((job?.progress ?? 0) * 100)}%</span>
          </div>
          <ProgressBar value={job?.progress ?? 0} label="Generation progress" />
        </div>
        {job?.error ? (
          <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" role="alert">
            {job.error}
          </p>
        ) : null}
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Figure label="Requests" value={r.requestCount.toLocaleString()} />
          <Figure label="Prompt tokens" value={r.promptTokens.toLocaleString()} />
          <Figure label="Completion tokens" value={r.completionTokens.toLocaleString()} />
          <Figure label="Estimated cost" value={r.costUsd === null ? "no prices set" : `$${r.costUsd.toFixed(4)}`} />
        </dl>
        <table className="mt-4 w-full text-sm">
          <caption className="sr-only">Per-class results</caption>
          <thead>
            <tr className="border-b border-zinc-200 text-left text-xs text-zinc-500">
              <th className="py-1.5 font-medium">Class</th>
              <th className="py-1.5 text-right font-medium">Summaries</th>
              <th className="py-1.5 text-right font-medium">Diversified</th>
              <th className="py-1.5 text-right font-medium">Kept</th>
              <th className="py-1.5 pl-4 font-medium">Dropped</th>
            </tr>
          </thead>
          <tbody>
            {r.counts.map((c) => (
              <tr key={c.classId} className="border-b border-zinc-100">
                <td className="py-1.5">{c.className}</td>
                <td className="py-1.5 text-right tabular-nums">{c.summaries}</td>
                <td className="py-1.5 text-right tabular-nums">{c.diversified}</td>
                <td className="py-1.5 text-right font-medium tabular-nums">
                  {c.kept} / {r.targetPerClass}
                </td>
                <td className="py-1.5 pl-4 text-xs text-zinc-600">
                  {Object.entries(c.dropped)
                    .map(([why, n]) => `${n} ${why}`)
                    .join(", ") || "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {job?.logs.length ? (
          <details className="mt-4">
            <summary className="cursor-pointer text-sm text-zinc-600">Log ({job.logs.length} lines)</summary>
            <ol className="mt-2 max-h-60 overflow-y-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-5 text-zinc-100">
              {[...job.logs].reverse().map((line) => (
                <li
                  key={String(line.id)}
                  className={
                    line.level === "error" ? "text-red-300" : line.level === "warn" ? "text-amber-200" : undefined
                  }
                >
                  <span className="text-zinc-500">{new Date(line.at).toLocaleTimeString()}</span> {line.message}
                </li>
              ))}
            </ol>
          </details>
        ) : null}
      </Card>
      <Card
        title="Generated examples"
        actions={
          <div className="flex items-center gap-3">
            <Link
              href={`/projects/${projectId}/annotate?mode=review-generated`}
              className="text-sm text-indigo-600 hover:underline"
            >
              Review in the queue
            </Link>
            <select
              aria-label="Filter examples by class"
              className="rounded-md border-zinc-300 py-1 text-sm"
              value={classId ?? ""}
              onChange={(e) => setClassId(e.target.value ? Number(e.target.value) : undefined)}
            >
              <option value="">All classes</option>
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <ExampleList
          runId={runId}
          classId={classId}
          projectId={projectId}
          classes={classes}
          refresh={live(job?.state)}
          kept={kept}
        />
      </Card>
    </div>
  );
}

function ExampleList({
  runId,
  classId,
  projectId,
  classes,
  refresh,
  kept,
}: {
  runId: number;
  classId?: number;
  projectId: number;
  classes: { id: number; name: string }[];
  refresh: boolean;
  kept: number;
}) {
  const trpc = useTRPC();
  const names = new Map(classes.map((c) => [c.id, c.name]));
  const examples = useInfiniteQuery({
    ...trpc.generation.examples.infiniteQueryOptions(
      { runId, classId, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    refetchInterval: refresh ? 3000 : false,
  });
  const { refetch } = examples;
  // The run's counts poll every second; when they say more examples were kept, the list follows at once.
  useEffect(() => {
    void refetch();
  }, [kept, refetch]);
  if (examples.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (examples.error) return <InlineError error={examples.error} />;
  const items = examples.data.pages.flatMap((p) => p.items);
  if (!items.length) return <p className="text-sm text-zinc-500">No examples kept yet.</p>;
  return (
    <div>
      <ul className="divide-y divide-zinc-100" aria-label="Generated examples">
        {items.map((item) => {
          const summary = (item.provenance as { summary?: string } | null)?.summary;
          return (
            <li key={item.id} className="py-3">
              <div className="flex items-center gap-2 text-xs text-zinc-500">
                <Badge tone={item.labelOrigin !== "generated" ? "green" : "amber"}>
                  {item.labelClassIds.map((id) => names.get(id) ?? `#${id}`).join(", ") || "none"}
                </Badge>
                {item.labelOrigin !== "generated" ? <span>reviewed</span> : null}
                {summary ? <span className="truncate">from “{summary}”</span> : null}
                <Link
                  href={`/projects/${projectId}/items/${item.id}`}
                  className="ml-auto shrink-0 text-indigo-600 hover:underline"
                >
                  #{item.id}
                </Link>
              </div>
              <p className="mt-1 line-clamp-3 text-sm text-zinc-800">{item.text}</p>
            </li>
          );
        })}
      </ul>
      {examples.hasNextPage ? (
        <Button
          variant="secondary"
          className="mt-3"
          disabled={examples.isFetchingNextPage}
          onClick={() => void examples.fetchNextPage()}
        >
          {examples.isFetchingNextPage ? "Loading…" : "More"}
        </Button>
      ) : null}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="font-semibold text-zinc-900 tabular-nums">{value}</dd>
    </div>
  );
}
