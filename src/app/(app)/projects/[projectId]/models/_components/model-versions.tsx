"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { LiveIndicator } from "@/components/ui/live-indicator";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/router-outputs";
import { dateTime, decimal, kindLabels, percent } from "../../_components/format-metric";
import { useModelJobs } from "../../_components/use-model-jobs";
import { interval } from "./format-interval";
import { LearningCurveChart } from "./learning-curve-chart";
import { TestSetIndicator } from "./test-set-indicator";

type Version = RouterOutputs["models"]["list"][number];

// How long a finished training's full bar stays next to the Train button.
const RECENT_MS = 5 * 60_000;

export function ModelVersions({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.models.list.queryOptions({ projectId }));
  const curve = useQuery(trpc.models.learningCurve.queryOptions({ projectId }));
  const jobs = useModelJobs(projectId);
  const queryClient = useQueryClient();
  const train = useMutation(trpc.models.train.mutationOptions({ onSuccess: () => jobs.refresh() }));
  const llm = useQuery({ ...trpc.llm.status.queryOptions({ projectId }), enabled: isAdmin });
  // A zero-shot version labels from the class prompts with the configured LLM: no training data needed.
  const zeroShot = useMutation(
    trpc.llm.createZeroShotVersion.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }),
    }),
  );

  const ready = versions.data?.filter((v) => v.status === "ready") ?? [];
  const base = `/projects/${projectId}`;
  const live = jobs.live;
  const liveText = live
    ? live.type === "train"
      ? live.state === "queued"
        ? "Training queued…"
        : `Training${live.total ? ` · ${Math.round(live.progress * 100)}%` : "…"}`
      : live.state === "queued"
        ? "Scoring queued…"
        : `Scoring the pool${live.total ? ` · ${Math.round(live.progress * 100)}%` : "…"}`
    : null;
  // The latest training's bar: live while it runs, full for a few minutes after it is done.
  const trainJob = live?.type === "train" ? live : jobs.lastTrain;
  const trainDone = trainJob?.state === "completed";
  const showTrainBar =
    trainJob !== null &&
    (trainJob === live ||
      (trainDone && trainJob.finishedAt !== null && Date.now() - new Date(trainJob.finishedAt).getTime() < RECENT_MS));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold tracking-tight">Model versions</h2>
          <p className="text-sm text-zinc-600">
            Every training run is kept. Every version is measured on the project&apos;s current labeled test set, drawn
            at random when items arrive.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          {liveText ? <LiveIndicator>{liveText}</LiveIndicator> : null}
          {showTrainBar ? (
            <div className="flex w-44 items-center gap-2 text-xs text-zinc-500">
              <ProgressBar value={trainDone ? 1 : trainJob.progress} label="Training progress" />
              <span className="shrink-0">{trainDone ? "done" : `${Math.round(trainJob.progress * 100)}%`}</span>
            </div>
          ) : null}
          {isAdmin && ready.length >= 2 ? (
            <Link
              href={`${base}/compare?a=${ready[1]!.id}&b=${ready[0]!.id}`}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 ring-inset hover:bg-indigo-50"
            >
              Compare v{ready[1]!.number} → v{ready[0]!.number}
            </Link>
          ) : null}
          {isAdmin && llm.data?.configured ? (
            <Button
              variant="secondary"
              onClick={() => zeroShot.mutate({ projectId })}
              disabled={zeroShot.isPending}
              title={`Label with ${llm.data.config.chatModel} from the class descriptions`}
            >
              {zeroShot.isPending ? "Creating…" : "Add zero-shot LLM version"}
            </Button>
          ) : null}
          {isAdmin ? (
            <Button onClick={() => train.mutate({ projectId })} disabled={train.isPending || live?.type === "train"}>
              {live?.type === "train" ? "Training…" : "Train now"}
            </Button>
          ) : null}
        </div>
      </div>
      {zeroShot.error ? <InlineError error={zeroShot.error} /> : null}
      {train.error ? <InlineError error={train.error} /> : null}
      {jobs.failedTrain && !live ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset">
          The last training failed{jobs.failedTrain.error ? `: ${jobs.failedTrain.error}` : "."}
        </p>
      ) : null}

      {curve.data ? <TestSetIndicator n={curve.data.testSet.n} target={curve.data.testSet.target} /> : null}

      <Card>
        {versions.isPending ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : versions.error ? (
          <InlineError error={versions.error} />
        ) : versions.data.length === 0 ? (
          <EmptyState title="No model yet">
            Label 20 items in{" "}
            <Link href={`${base}/annotate`} className="font-medium text-indigo-700 hover:underline">
              Annotate
            </Link>{" "}
            (training starts on its own), {isAdmin ? "or press Train now." : "or ask an admin to train."}
          </EmptyState>
        ) : (
          <VersionsTable versions={versions.data} base={base} isAdmin={isAdmin} />
        )}
      </Card>

      <Card title="Learning curve" actions={curve.data ? <SignalBadge state={curve.data.signal.state} /> : null}>
        {curve.isPending ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : curve.error ? (
          <InlineError error={curve.error} />
        ) : curve.data.points.length === 0 ? (
          <EmptyState title="No points yet">
            Each trained version with labeled test items adds a point: labels used → test macro-F1.
          </EmptyState>
        ) : (
          <div className="space-y-3">
            <LearningCurveChart points={curve.data.points} axis={curve.data.axis} />
            <p className="text-sm text-zinc-700">{curve.data.signal.message}</p>
          </div>
        )}
      </Card>
    </div>
  );
}

function SignalBadge({ state }: { state: "improving" | "plateau" | "not-enough-evidence" }) {
  if (state === "improving") return <Badge tone="green">Still improving</Badge>;
  if (state === "plateau") return <Badge tone="amber">Plateau: consider stopping</Badge>;
  return <Badge>Not enough evidence</Badge>;
}

function VersionsTable({ versions, base, isAdmin }: { versions: Version[]; base: string; isAdmin: boolean }) {
  const activeVersion = versions.find((v) => v.active);
  const th = "px-3 py-2 text-left text-xs font-medium text-zinc-500 whitespace-nowrap";
  const num = "px-3 py-2 text-right tabular-nums whitespace-nowrap";
  return (
    <div className="-m-4 overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Model versions, newest first, with test-set metrics</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50/60">
          <tr>
            <th scope="col" className={th}>
              Version
            </th>
            <th scope="col" className={th}>
              Model
            </th>
            <th scope="col" className={`${th} text-right`}>
              Labels used
            </th>
            <th
              scope="col"
              className={`${th} text-right`}
              title="Labeled test items the metrics rest on / the project's target"
            >
              Test items
            </th>
            <th scope="col" className={`${th} text-right`}>
              Accuracy
            </th>
            <th scope="col" className={`${th} text-right`}>
              Macro-F1
            </th>
            <th scope="col" className={`${th} text-right`} title="Mean −log p(true class); lower is better">
              Log-loss
            </th>
            <th scope="col" className={`${th} text-right`} title="Expected calibration error; lower is better">
              ECE
            </th>
            <th scope="col" className={th}>
              Created
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {versions.map((v, i) => {
            const older = versions.slice(i + 1).find((o) => o.status === "ready" && o.testMacroF1 !== null);
            const cvShown = v.crossValidated !== null && v.testItems < v.testTarget;
            const gain =
              v.testMacroF1 !== null && older?.testMacroF1 != null ? v.testMacroF1 - older.testMacroF1 : null;
            return (
              <tr key={v.id} className={`group hover:bg-zinc-50 ${v.active ? "bg-indigo-50/40" : ""}`}>
                <td className="px-3 py-2.5 whitespace-nowrap">
                  <div className="flex items-center gap-2">
                    <Link href={`${base}/models/${v.id}`} className="font-semibold text-indigo-700 hover:underline">
                      v{v.number}
                    </Link>
                    {v.active ? <Badge tone="green">Active</Badge> : null}
                    {v.promotionNote && !v.active ? (
                      <span title={v.promotionNote}>
                        <Badge tone="amber">Not activated</Badge>
                      </span>
                    ) : null}
                    {v.status !== "ready" ? (
                      <span title={v.error ?? undefined}>
                        <Badge tone={v.status === "failed" ? "red" : v.status === "training" ? "indigo" : "neutral"}>
                          {v.status}
                        </Badge>
                      </span>
                    ) : null}
                  </div>
                  {v.promotionNote && !v.active ? (
                    <p className="mt-1 max-w-xs text-xs whitespace-normal text-amber-800">
                      {v.promotionNote}
                      {isAdmin && activeVersion && v.status === "ready" ? (
                        <>
                          {" "}
                          <Link
                            href={`${base}/compare?a=${activeVersion.id}&b=${v.id}`}
                            className="font-medium text-indigo-700 hover:underline"
                          >
                            Compare with v{activeVersion.number}
                          </Link>
                        </>
                      ) : null}
                    </p>
                  ) : null}
                  {v.evaluationError ? (
                    <p className="mt-1 max-w-xs text-xs whitespace-normal text-red-700">
                      Not measured: {v.evaluationError}
                    </p>
                  ) : null}
                </td>
                <td className="px-3 py-2.5">
                  <div className="text-zinc-900">{kindLabels[v.kind] ?? v.kind}</div>
                  <div className="font-mono text-xs text-zinc-500">{v.featurizerId}</div>
                </td>
                <td className={num}>
                  {v.trainLabelCount.toLocaleString()}
                  {v.humanLabels !== null && v.humanLabels !== v.trainLabelCount ? (
                    <div className="text-xs text-zinc-500">{v.humanLabels.toLocaleString()} human</div>
                  ) : null}
                </td>
                <td className={num}>
                  {v.testItems.toLocaleString()} / {v.testTarget.toLocaleString()}
                </td>
                <td className={num}>
                  {percent(v.testAccuracy)}
                  {v.testAccuracyCi ? <div className="text-xs text-zinc-500">{interval(v.testAccuracyCi)}</div> : null}
                </td>
                <td className={num}>
                  <span className="font-semibold text-zinc-900">{percent(v.testMacroF1)}</span>
                  {v.testMacroF1Ci ? <div className="text-xs text-zinc-500">{interval(v.testMacroF1Ci)}</div> : null}
                  {cvShown ? (
                    <div
                      className="text-xs text-zinc-500"
                      title="Out-of-fold estimate from the training labels: shown while the test set is below its target"
                    >
                      CV {percent(v.crossValidated!.macroF1)} ({v.crossValidated!.rows} training labels)
                    </div>
                  ) : null}
                  {gain !== null ? (
                    <div
                      className={`text-xs ${Math.abs(gain) < 0.0005 ? "text-zinc-500" : gain > 0 ? "text-emerald-700" : "text-red-700"}`}
                    >
                      {gain >= 0 ? "+" : "−"}
                      {Math.abs(gain * 100).toFixed(1)} pt vs v{older!.number}
                    </div>
                  ) : null}
                </td>
                <td className={num}>{decimal(v.testLogLoss)}</td>
                <td className={num}>{decimal(v.testEce)}</td>
                <td className="px-3 py-2.5 whitespace-nowrap">
                  <div className="text-zinc-900">{dateTime(v.createdAt)}</div>
                  <div className="text-xs text-zinc-500">{v.createdBy?.name ?? "automatic retrain"}</div>
                </td>
                <td className="px-3 py-2.5 text-right whitespace-nowrap">
                  <div className="flex justify-end gap-3 text-sm">
                    {isAdmin && older && v.status === "ready" ? (
                      <Link
                        href={`${base}/compare?a=${older.id}&b=${v.id}`}
                        className="text-zinc-600 hover:text-indigo-700 hover:underline"
                        aria-label={`Compare v${older.number} with v${v.number}`}
                      >
                        Compare
                      </Link>
                    ) : null}
                    <Link
                      href={`${base}/models/${v.id}`}
                      className="text-zinc-600 hover:text-indigo-700 hover:underline"
                      aria-label={`Details of v${v.number}`}
                    >
                      Details →
                    </Link>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
