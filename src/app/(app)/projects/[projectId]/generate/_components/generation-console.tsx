"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { GenerationForm } from "./generation-form";
import { GenerationRunDetail } from "./generation-run-detail";
import { GenerationRunList } from "./generation-run-list";

/** Start LLM generation runs from the class prompts, watch them, and review what they wrote. */
export function GenerationConsole({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const status = useQuery(trpc.llm.status.queryOptions({ projectId }));
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const runs = useQuery({
    ...trpc.generation.list.queryOptions({ projectId, limit: 20 }),
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.jobRun && ["queued", "running"].includes(r.jobRun.state)) ? 1000 : 10_000,
  });
  const [selected, setSelected] = useState<number | null>(null);
  const runId = selected ?? runs.data?.[0]?.id ?? null;

  if (status.isPending || project.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (status.error) return <InlineError error={status.error} />;
  if (project.error) return <InlineError error={project.error} />;

  return (
    <div className="grid gap-6 lg:grid-cols-[22rem_minmax(0,1fr)]">
      <div className="space-y-6">
        <Card title="Language model">
          {status.data.configured ? (
            <dl className="space-y-1.5 text-sm">
              <div className="flex justify-between gap-3">
                <dt className="text-zinc-500">Chat model</dt>
                <dd className="font-medium text-zinc-900">{status.data.config.chatModel}</dd>
              </div>
              <div className="flex justify-between gap-3">
                <dt className="text-zinc-500">Endpoint</dt>
                <dd className="truncate text-zinc-700">{status.data.config.endpoint}</dd>
              </div>
              <div className="flex justify-between gap-3">
                <dt className="text-zinc-500">Prompt templates</dt>
                <dd className="text-zinc-700">{status.data.templateVersion}</dd>
              </div>
            </dl>
          ) : (
            <p className="text-sm text-zinc-600" role="status">
              {status.data.reason} Margin works without one (human labels, offline embeddings); with one it writes
              training examples from the class descriptions.
            </p>
          )}
        </Card>
        {isAdmin && status.data.configured ? (
          <GenerationForm projectId={projectId} classes={project.data.classes} onStarted={(id) => setSelected(id)} />
        ) : null}
        <GenerationRunList runs={runs.data ?? []} selected={runId} onSelect={setSelected} />
      </div>
      <div>
        {runId ? (
          <GenerationRunDetail runId={runId} isAdmin={isAdmin} classes={project.data.classes} projectId={projectId} />
        ) : (
          <EmptyState title="No generation runs yet">
            {status.data.configured
              ? "Choose how many examples per class to write, then start a run."
              : "Configure an LLM on the server to generate examples."}
          </EmptyState>
        )}
      </div>
    </div>
  );
}
