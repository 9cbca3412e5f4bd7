"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/trpc/react";

const stateTone = {
  queued: "neutral",
  running: "indigo",
  completed: "green",
  failed: "red",
  cancelled: "amber",
} as const;

export function JobTable({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const jobs = useQuery({
    ...trpc.jobs.list.queryOptions({ limit: 100 }),
    // Poll while anything is in flight; idle lists stay quiet.
    refetchInterval: (query) =>
      query.state.data?.some((j) => j.state === "queued" || j.state === "running") ? 1000 : 10_000,
  });
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey() }),
    }),
  );

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Jobs</h1>
        <p className="text-sm text-zinc-500">
          Background work done by the worker: embedding, training, scoring, generation, statistics.
        </p>
      </div>
      {cancel.error ? <InlineError error={cancel.error} /> : null}
      {jobs.data?.length === 0 ? (
        <EmptyState title="No jobs yet">Jobs appear here as soon as something is queued.</EmptyState>
      ) : null}
      {jobs.data?.length ? (
        <Card>
          <div className="-m-4 overflow-x-auto p-4" tabIndex={0} role="region" aria-label="Jobs, scrolls sideways">
            <table className="w-full text-left text-sm" aria-label="Jobs">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="pb-2 font-medium">Job</th>
                  <th className="pb-2 font-medium">Project</th>
                  <th className="pb-2 font-medium">State</th>
                  <th className="w-48 pb-2 font-medium">Progress</th>
                  <th className="pb-2 font-medium">Last message</th>
                  <th className="pb-2 font-medium">Queued</th>
                  <th className="pb-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {jobs.data.map((job) => (
                  <Fragment key={job.id}>
                    <tr>
                      <td className="py-2">
                        <button
                          type="button"
                          className="font-medium hover:text-indigo-600"
                          onClick={() => setOpen(open === job.id ? null : job.id)}
                          aria-expanded={open === job.id}
                        >
                          {job.type}
                        </button>
                      </td>
                      <td className="py-2 text-zinc-600">{job.project?.name ?? "—"}</td>
                      <td className="py-2">
                        <Badge tone={stateTone[job.state]}>{job.state}</Badge>
                        {job.attempts > 1 ? (
                          <span className="ml-1 text-xs text-zinc-400">attempt {job.attempts}</span>
                        ) : null}
                      </td>
                      <td className="py-2 pr-4">
                        <ProgressBar
                          value={job.state === "completed" ? 1 : job.progress}
                          label={`${job.type} progress`}
                        />
                        {job.total ? (
                          <span className="text-xs text-zinc-600 tabular-nums">{progressText(job)}</span>
                        ) : null}
                      </td>
                      <td className="max-w-xs truncate py-2 text-zinc-600" title={job.error ?? job.logs[0]?.message}>
                        {job.error ?? job.logs[0]?.message ?? ""}
                      </td>
                      <td className="py-2 whitespace-nowrap text-zinc-500">
                        {new Date(job.createdAt).toLocaleTimeString()}
                      </td>
                      <td className="py-2 text-right">
                        {isAdmin && (job.state === "queued" || job.state === "running") ? (
                          <Button
                            variant="ghost"
                            disabled={cancel.isPending || Boolean(job.cancelRequestedAt)}
                            onClick={() => cancel.mutate({ id: job.id })}
                          >
                            {job.cancelRequestedAt ? "Cancelling…" : "Cancel"}
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                    {open === job.id ? (
                      <tr>
                        <td colSpan={7} className="bg-zinc-50 px-3 py-2">
                          <JobLog id={job.id} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </div>
  );
}

/**
 * "done / total" while a job runs. Handlers report their count every so many rows or steps, so the last report of a
 * finished job can be behind (an import of 128,015 rows last reported 0; a training 96 of 107 planned fits after
 * stopping early): a completed job says done (its log has the figures), a failed or cancelled one how far it got.
 */
function progressText(job: { state: string; done: number; total: number | null }) {
  const total = job.total ?? 0;
  if (job.state === "completed") return "done";
  if (job.state === "failed" || job.state === "cancelled")
    return `stopped at ${job.done.toLocaleString()} of ${total.toLocaleString()}`;
  return `${job.done.toLocaleString()} / ${total.toLocaleString()}`;
}

function JobLog({ id }: { id: string }) {
  const trpc = useTRPC();
  const job = useQuery({ ...trpc.jobs.get.queryOptions({ jobId: id }), refetchInterval: 2000 });
  if (!job.data) return <p className="text-xs text-zinc-500">Loading log…</p>;
  return (
    <ol className="max-h-64 overflow-auto font-mono text-xs" aria-label="Job log">
      {job.data.logs.map((line) => (
        <li
          key={String(line.id)}
          className={
            line.level === "error" ? "text-red-700" : line.level === "warn" ? "text-amber-700" : "text-zinc-700"
          }
        >
          <span className="text-zinc-400">{new Date(line.at).toLocaleTimeString()} </span>
          {line.message}
        </li>
      ))}
    </ol>
  );
}
