"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfusionMatrix } from "@/components/ui/confusion-matrix";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { MetricTile } from "@/components/ui/metric-tile";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/trpc/router-outputs";
import { dateTime, decimal, kindLabels, percent } from "../../_components/format-metric";
import { CalibrationChart } from "./calibration-chart";
import { FitSummary } from "./fit-summary";
import { interval } from "./format-interval";
import { TestSetIndicator } from "./test-set-indicator";
import { PrCurvesChart } from "./pr-curves-chart";

type Version = RouterOutputs["models"]["get"];

export function VersionDetail({
  projectId,
  versionId,
  isAdmin,
}: {
  projectId: number;
  versionId: number;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const version = useQuery(trpc.models.get.queryOptions({ modelVersionId: versionId }));
  const activate = useMutation(
    trpc.models.activate.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() }),
    }),
  );
  const base = `/projects/${projectId}`;

  if (version.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (version.error) return <InlineError error={version.error} />;
  const v = version.data;
  if (v.projectId !== projectId)
    return <EmptyState title="Not found">Version {versionId} belongs to another project.</EmptyState>;
  const test = v.metrics?.test ?? null;
  const colorOf = new Map(v.project.classes.map((c) => [c.name, c.color]));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <Link href={`${base}/models`} className="text-sm text-zinc-500 hover:text-zinc-800">
            ← All versions
          </Link>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <h2 className="text-lg font-semibold tracking-tight">Version v{v.number}</h2>
            {v.active ? <Badge tone="green">Active</Badge> : null}
            {v.status !== "ready" ? <Badge tone={v.status === "failed" ? "red" : "neutral"}>{v.status}</Badge> : null}
          </div>
          <p className="mt-1 text-sm text-zinc-600">
            {kindLabels[v.kind] ?? v.kind} on <span className="font-mono text-xs">{v.featurizerId}</span> ·{" "}
            {v.trainLabelCount.toLocaleString()} training labels · {v.testLabelCount.toLocaleString()} test items when
            trained · created {dateTime(v.createdAt)} by {v.createdBy?.name ?? "an automatic retrain"}
          </p>
          {v.error ? <p className="mt-1 text-sm text-red-700">{v.error}</p> : null}
          {v.promotionNote ? <p className="mt-1 text-sm text-amber-800">{v.promotionNote}</p> : null}
          {v.evaluationError ? (
            <p className="mt-1 text-sm text-red-700">Not measured on the current test set: {v.evaluationError}</p>
          ) : null}
          <div className="mt-2">
            <FitSummary training={v.metrics?.training} />
          </div>
        </div>
        {isAdmin ? (
          <div className="flex flex-col items-end gap-1">
            {v.active ? (
              <p className="text-sm text-zinc-600">Drives the queue, the playground and the API.</p>
            ) : (
              <Button
                onClick={() => activate.mutate({ modelVersionId: v.id })}
                disabled={activate.isPending || v.status !== "ready"}
              >
                {activate.isPending ? "Activating…" : `Activate v${v.number}`}
              </Button>
            )}
            {activate.error ? <InlineError error={activate.error} /> : null}
          </div>
        ) : null}
      </div>

      {v.testSet ? <TestSetIndicator n={v.testSet.n} target={v.testSet.target} /> : null}
      {test && v.testSet && test.n < v.testSet.target && typeof v.metrics?.crossValidated?.macro?.f1 === "number" ? (
        <p className="text-sm text-zinc-700">
          Cross-validated estimate from the training labels (not the test set): macro-F1{" "}
          {percent(v.metrics.crossValidated.macro.f1)} on {v.metrics.crossValidated.n ?? v.trainLabelCount} labels.
        </p>
      ) : null}
      {!test ? (
        <EmptyState title="No test metrics for this version">
          The test set has no labeled items yet. Label items in Annotate (the queue serves test items first); every
          version is then measured on them.
        </EmptyState>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            <MetricTile
              label={test.subsetAccuracy !== undefined ? "Exact-match accuracy" : "Accuracy"}
              value={percent(test.accuracy ?? test.subsetAccuracy)}
              note={`95% ${interval(test.accuracyCi) ?? "–"} · ${test.n} test items`}
            />
            <MetricTile
              label="Macro-F1"
              value={percent(test.macroF1)}
              note={`95% ${interval(test.macroF1Ci) ?? "–"} · P ${percent(test.macro.precision)} · R ${percent(test.macro.recall)}`}
            />
            <MetricTile label="PR-AUC (macro)" value={decimal(test.prAuc)} />
            <MetricTile
              label="Log-loss"
              value={decimal(test.logLoss)}
              note="lower is better"
              hint="Mean −log p(true class)"
            />
            <MetricTile
              label="ECE"
              value={decimal(test.ece)}
              note="calibration error, lower is better"
              hint="Expected calibration error of the top-class confidence"
            />
            {test.unsureRate !== undefined ? (
              <MetricTile label="Unsure" value={percent(test.unsureRate)} note="below their class threshold" />
            ) : (
              <MetricTile label="Hamming loss" value={decimal(test.hammingLoss)} note="wrong label cells" />
            )}
          </dl>

          <div className="grid gap-6 xl:grid-cols-5">
            <Card title="Confusion matrix" className="xl:col-span-3">
              {test.confusion ? (
                <>
                  <ConfusionMatrix
                    labels={test.perClass.map((c) => c.label)}
                    matrix={test.confusion}
                    caption={`Confusion matrix of v${v.number} on ${test.n} test items: rows are true classes, columns predicted classes`}
                  />
                  <p className="mt-3 text-xs text-zinc-500">
                    Rows are the true class; shading is the share of the row, so the diagonal reads as recall.
                  </p>
                </>
              ) : (
                <p className="text-sm text-zinc-500">
                  Multi-label versions have no single confusion matrix; see the per-class table.
                </p>
              )}
            </Card>
            <Card title="Per class" className="xl:col-span-2">
              <PerClassTable test={test} colorOf={colorOf} />
            </Card>
          </div>

          <Card title="Precision–recall curves">
            {v.metrics?.prCurves?.length ? (
              <PrCurvesChart curves={v.metrics.prCurves} perClass={test.perClass} colorOf={colorOf} />
            ) : (
              <p className="text-sm text-zinc-500">This version stored no curves.</p>
            )}
          </Card>

          <Card title="Calibration (reliability diagram)">
            {v.metrics?.calibration?.some((b) => b.count > 0) ? (
              <CalibrationChart bins={v.metrics.calibration} multiLabel={test.subsetAccuracy !== undefined} />
            ) : (
              <p className="text-sm text-zinc-500">This version stored no calibration bins.</p>
            )}
          </Card>
        </>
      )}
    </div>
  );
}

function PerClassTable({
  test,
  colorOf,
}: {
  test: NonNullable<NonNullable<Version["metrics"]>["test"]>;
  colorOf: Map<string, string>;
}) {
  const th = "px-2 py-1.5 text-right text-xs font-medium text-zinc-500";
  const td = "px-2 py-2 text-right tabular-nums";
  return (
    <div className="-mx-2 overflow-x-auto" tabIndex={0} role="region" aria-label="Per-class metrics, scrolls sideways">
      <table className="w-full text-sm">
        <caption className="sr-only">
          Precision, recall (with Wilson 95% intervals), F1 and support per class on the current test set
        </caption>
        <thead>
          <tr className="border-b border-zinc-200">
            <th scope="col" className={`${th} text-left`}>
              Class
            </th>
            <th scope="col" className={th}>
              Precision
            </th>
            <th scope="col" className={th}>
              Recall
            </th>
            <th scope="col" className={th}>
              F1
            </th>
            <th scope="col" className={th}>
              Support
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {test.perClass.map((c) => (
            <tr key={c.label}>
              <th scope="row" className="px-2 py-2 text-left font-medium text-zinc-800">
                <span className="inline-flex items-center gap-2">
                  <span
                    className="size-2.5 rounded-full"
                    style={{ backgroundColor: colorOf.get(c.label) ?? "#a1a1aa" }}
                    aria-hidden
                  />
                  {c.label}
                </span>
              </th>
              <td className={td}>
                {percent(c.precision)}
                {c.precisionCi ? <div className="text-xs text-zinc-500">{interval(c.precisionCi)}</div> : null}
              </td>
              <td className={td}>
                {percent(c.recall)}
                {c.recallCi ? <div className="text-xs text-zinc-500">{interval(c.recallCi)}</div> : null}
              </td>
              <td className={`${td} font-semibold`}>{percent(c.f1)}</td>
              <td className={`${td} text-zinc-600`}>{c.support}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-zinc-200 text-zinc-600">
          <tr>
            <th scope="row" className="px-2 py-2 text-left text-xs font-medium">
              Macro average
            </th>
            <td className={td}>{percent(test.macro.precision)}</td>
            <td className={td}>{percent(test.macro.recall)}</td>
            <td className={`${td} font-semibold text-zinc-900`}>{percent(test.macro.f1)}</td>
            <td className={td}>{test.n}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
