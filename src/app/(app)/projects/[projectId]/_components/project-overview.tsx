"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { AnnotatorTable } from "./annotator-table";
import { ClassEditor } from "./class-editor";

interface Stats {
  items: number;
  byStatus: { unlabeled: number; labeled: number; skipped: number };
  bySplit: { unassigned: number; train: number; test: number };
  bySource: { imported: number; generated: number; manual: number };
  perClass: { classId: number; name: string; items: number }[];
  annotations: { total: number; human: number; lastAt: string | null };
  computedAt: string;
}

export function ProjectOverview({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));

  if (project.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (project.error) return <InlineError error={project.error} />;
  const p = project.data;

  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <ClassEditor projectId={p.id} taskType={p.taskType} classes={p.classes} isAdmin={isAdmin} />
          {isAdmin ? <AnnotatorTable projectId={p.id} /> : null}
        </div>
        <div className="space-y-6">
          <StatsCard projectId={p.id} stats={p.stats as Stats | null} />
          <AgreementCard projectId={p.id} overlap={p.annotationOverlap} />
        </div>
      </div>
    </div>
  );
}

function StatsCard({ projectId, stats }: { projectId: number; stats: Stats | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const jobs = useQuery({
    ...trpc.jobs.list.queryOptions({ projectId, limit: 5 }),
    refetchInterval: (query) => (query.state.data?.some((j) => j.type === "project-stats" && (j.state === "queued" || j.state === "running")) ? 1000 : false),
  });
  const pending = jobs.data?.find((j) => j.type === "project-stats" && (j.state === "queued" || j.state === "running"));
  const wasPending = useRef(false);
  useEffect(() => {
    // When a stats job finishes, the project (which carries the stats) is stale.
    if (wasPending.current && !pending) void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
    wasPending.current = Boolean(pending);
  }, [pending, projectId, queryClient, trpc]);
  const refresh = useMutation(
    trpc.jobs.refreshStats.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey({ projectId, limit: 5 }) }) }),
  );

  return (
    <Card
      title="Statistics"
      actions={
        <Button variant="secondary" onClick={() => refresh.mutate({ projectId })} disabled={refresh.isPending || Boolean(pending)}>
          {pending ? (pending.state === "queued" ? "Queued…" : "Computing…") : "Refresh"}
        </Button>
      }
    >
      {refresh.error ? <InlineError error={refresh.error} className="mb-2" /> : null}
      {stats ? (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm" aria-label="Project statistics">
          <Stat label="Items" value={stats.items} />
          <Stat label="Labeled" value={stats.byStatus.labeled} />
          <Stat label="Unlabeled" value={stats.byStatus.unlabeled} />
          <Stat label="Human labels" value={stats.annotations.human} />
          <Stat label="Test split" value={stats.bySplit.test} />
          <Stat label="Generated" value={stats.bySource.generated} />
          <div className="col-span-2 space-y-1.5 pt-1">
            {stats.perClass.map((c) => (
              <div key={c.classId} className="flex justify-between text-xs text-zinc-600">
                <span>{c.name}</span>
                <span className="tabular-nums">{c.items.toLocaleString()}</span>
              </div>
            ))}
          </div>
          <p className="col-span-2 text-xs text-zinc-400">Computed {new Date(stats.computedAt).toLocaleString()}</p>
        </dl>
      ) : (
        <p className="text-sm text-zinc-500">Not computed yet. Refresh runs a background job on the worker.</p>
      )}
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value.toLocaleString()}</dd>
    </div>
  );
}

/** Inter-annotator agreement, shown once some items have votes from two annotators or the project asks for them. */
function AgreementCard({ projectId, overlap }: { projectId: number; overlap: number }) {
  const trpc = useTRPC();
  const agreement = useQuery(trpc.labels.agreement.queryOptions({ projectId }));
  const a = agreement.data;
  if (!a || (a.items === 0 && overlap <= 1)) return null;
  return (
    <Card title="Agreement">
      {a.items === 0 ? (
        <p className="text-sm text-zinc-500">Each item goes to {overlap} annotators; agreement shows once an item has two labels.</p>
      ) : (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm" aria-label="Annotator agreement">
          <div>
            <dt className="text-xs text-zinc-500">Krippendorff&apos;s α</dt>
            <dd className="text-lg font-semibold tabular-nums">{a.alpha === null ? "–" : a.alpha.toFixed(2)}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Items with 2+ labels</dt>
            <dd className="text-lg font-semibold tabular-nums">{a.items.toLocaleString()}</dd>
          </div>
          <div>
            <dt className="text-xs text-zinc-500">Unanimous</dt>
            <dd className="text-lg font-semibold tabular-nums">{Math.round((a.unanimousItems / a.items) * 100)}%</dd>
          </div>
          <p className="col-span-2 text-xs text-zinc-500">α above 0.8 is reliable; below 0.67, the class descriptions likely need work.</p>
        </dl>
      )}
    </Card>
  );
}
