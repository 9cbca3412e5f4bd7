"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { AnnotatorTable } from "./annotator-table";
import { ClassEditor } from "./class-editor";
import { GuidelinesCard } from "./guidelines-card";

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
          <GuidelinesCard projectId={p.id} isAdmin={isAdmin} />
          {isAdmin ? <AnnotatorTable projectId={p.id} /> : null}
        </div>
        <div className="space-y-6">
          <NextStepCard
            projectId={p.id}
            stats={p.stats as Stats | null}
            retrainEvery={p.retrainEvery}
            isAdmin={isAdmin}
          />
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
    refetchInterval: (query) =>
      query.state.data?.some((j) => j.type === "project-stats" && (j.state === "queued" || j.state === "running"))
        ? 1000
        : false,
  });
  const pending = jobs.data?.find((j) => j.type === "project-stats" && (j.state === "queued" || j.state === "running"));
  const wasPending = useRef(false);
  useEffect(() => {
    // When a stats job finishes, the project (which carries the stats) is stale.
    if (wasPending.current && !pending)
      void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
    wasPending.current = Boolean(pending);
  }, [pending, projectId, queryClient, trpc]);
  const refresh = useMutation(
    trpc.jobs.refreshStats.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey({ projectId, limit: 5 }) }),
    }),
  );
  // While the Overview is open, imports, labels and trainings (by anyone) are noticed within a few seconds and the
  // statistics recomputed by one background job; nobody has to press Refresh.
  const ensureFresh = useMutation(
    trpc.stats.ensureFresh.mutationOptions({
      onSuccess: (result) => {
        if (result.state !== "fresh")
          void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.queryKey({ projectId, limit: 5 }) });
        // A stats job that ran between two polls of the job list was never seen pending; the shown counts are older.
        else if (result.computedAt !== (stats?.computedAt ?? null))
          void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
      },
    }),
  );
  const { mutate: checkFreshness } = ensureFresh;
  useEffect(() => {
    checkFreshness({ projectId });
    const timer = window.setInterval(() => checkFreshness({ projectId }), 5_000);
    return () => window.clearInterval(timer);
  }, [checkFreshness, projectId]);

  return (
    <Card
      title="Statistics"
      actions={
        <Button
          variant="secondary"
          onClick={() => refresh.mutate({ projectId })}
          disabled={refresh.isPending || Boolean(pending)}
        >
          {pending ? (pending.state === "queued" ? "Queued…" : "Computing…") : "Refresh"}
        </Button>
      }
    >
      {refresh.error ? <InlineError error={refresh.error} className="mb-2" /> : null}
      {stats ? (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm" aria-label="Project statistics">
          <div className="col-span-2">
            <dt className="text-xs text-zinc-600">Labeled</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="labeled-of-total">
              {stats.byStatus.labeled.toLocaleString()} of {stats.items.toLocaleString()}
              {stats.items > 0 ? (
                <span className="ml-1 text-sm font-normal text-zinc-600">
                  ({((stats.byStatus.labeled / stats.items) * 100).toFixed(1)}%)
                </span>
              ) : null}
            </dd>
          </div>
          <Stat label="Items" value={stats.items} />
          <Stat label="Unlabeled" value={stats.byStatus.unlabeled} />
          <Stat label="Human labels" value={stats.annotations.human} />
          <Stat label="Test split" value={stats.bySplit.test} />
          <Stat label="Skipped" value={stats.byStatus.skipped} />
          <Stat label="Generated" value={stats.bySource.generated} />
          <div className="col-span-2 space-y-1.5 pt-1">
            <dt className="text-xs font-medium text-zinc-600">Labeled items per class</dt>
            <dd>
              <ul aria-label="Labeled items per class" className="space-y-1">
                {stats.perClass.map((c) => (
                  <li key={c.classId} className="flex justify-between text-xs text-zinc-600">
                    <span>{c.name}</span>
                    <span className="tabular-nums">{c.items.toLocaleString()}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        </dl>
      ) : null}
      {stats ? (
        <p className="mt-3 text-xs text-zinc-600">
          Computed {new Date(stats.computedAt).toLocaleString()}
          {pending ? " · updating…" : ""}
        </p>
      ) : null}
      {!stats ? (
        <p className="text-sm text-zinc-600" role="status">
          {pending ? "Counting the project's items and labels…" : "Checking the project's counts…"}
        </p>
      ) : null}
    </Card>
  );
}

/**
 * What to do next, from the counts and the model versions: get texts in, label (until the first training), train
 * (labels have grown since the newest version), or compare (a newer version than the active one is ready).
 */
function NextStepCard({
  projectId,
  stats,
  retrainEvery,
  isAdmin,
}: {
  projectId: number;
  stats: Stats | null;
  retrainEvery: number;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.models.list.queryOptions({ projectId }));
  if (!stats || !versions.data) return null;
  const base = `/projects/${projectId}`;
  const ready = versions.data.filter((v) => v.status === "ready");
  const newest = ready[0];
  const active = ready.find((v) => v.active);
  const newLabels = stats.annotations.human - (newest?.trainLabelCount ?? 0);
  let step: { title: string; body: string; href?: string; action?: string };
  if (stats.items === 0) {
    step = isAdmin
      ? {
          title: "Import texts",
          body: "The project has no items yet.",
          href: `${base}/import`,
          action: "Import a file",
        }
      : { title: "Waiting for texts", body: "The project has no items yet; an admin imports them." };
  } else if (!newest) {
    const toGo = Math.max(0, retrainEvery - stats.annotations.human);
    step = {
      title: "Label",
      body:
        toGo > 0
          ? `${toGo.toLocaleString()} more labels and the first model trains by itself.`
          : "Enough labels for a first model: it trains after the next label, or press Train now on Models.",
      href: `${base}/annotate`,
      action: "Start labeling",
    };
  } else if (isAdmin && active && newest.id !== active.id) {
    step = {
      title: "Compare",
      body: `v${newest.number} is ready but v${active.number} is active: compare them before promoting.`,
      href: `${base}/compare?a=${active.id}&b=${newest.id}`,
      action: `Compare v${active.number} → v${newest.number}`,
    };
  } else if (newLabels >= retrainEvery) {
    step = {
      title: "Train",
      body: `${newLabels.toLocaleString()} labels since v${newest.number} was trained.`,
      href: `${base}/models`,
      action: "Open Models",
    };
  } else {
    step = {
      title: "Label",
      body: `v${newest.number} ranks the queue; ${stats.byStatus.unlabeled.toLocaleString()} items are unlabeled.`,
      href: `${base}/annotate`,
      action: "Continue labeling",
    };
  }
  return (
    <Card title="Next step">
      <p className="text-sm font-semibold text-zinc-900" data-testid="next-step">
        {step.title}
      </p>
      <p className="mt-1 text-sm text-zinc-600">{step.body}</p>
      {step.href ? (
        <Link href={step.href} className="mt-2 inline-block text-sm font-medium text-indigo-700 underline">
          {step.action}
        </Link>
      ) : null}
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-xs text-zinc-600">{label}</dt>
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
        <p className="text-sm text-zinc-500">
          Each item goes to {overlap} annotators; agreement shows once an item has two labels.
        </p>
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
          <div className="col-span-2">
            <dt className="sr-only">How to read α</dt>
            <dd className="text-xs text-zinc-600">
              α above 0.8 is reliable; below 0.67, the class descriptions likely need work.
            </dd>
          </div>
        </dl>
      )}
    </Card>
  );
}
