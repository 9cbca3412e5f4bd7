"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Delta } from "@/components/ui/delta";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { interval } from "../../models/_components/format-interval";
import type { RouterOutputs } from "@/trpc/router-outputs";
import { percent } from "../../_components/format-metric";

type Comparison = RouterOutputs["models"]["compare"];
type Version = RouterOutputs["models"]["list"][number];

export function CompareVersions({
  projectId,
  initialA,
  initialB,
}: {
  projectId: number;
  initialA: number | null;
  initialB: number | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const versions = useQuery(trpc.models.list.queryOptions({ projectId }));
  const [picked, setPicked] = useState<{ a: number | null; b: number | null }>({ a: initialA, b: initialB });

  const ready = versions.data?.filter((v) => v.status === "ready") ?? [];
  // Without a choice: the newest version against the one before it.
  const a = picked.a ?? ready[1]?.id ?? null;
  const b = picked.b ?? ready[0]?.id ?? null;
  const choose = (next: { a: number | null; b: number | null }) => {
    setPicked(next);
    if (next.a && next.b) router.replace(`${pathname}?a=${next.a}&b=${next.b}`, { scroll: false });
  };
  const comparison = useQuery({
    ...trpc.models.compare.queryOptions({ a: a ?? 0, b: b ?? 0 }),
    enabled: Boolean(a && b && a !== b),
    staleTime: 60_000,
  });

  if (versions.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (versions.error) return <InlineError error={versions.error} />;
  if (ready.length < 2)
    return (
      <EmptyState title="Two versions needed">
        Compare needs two trained versions. Label more items in Annotate and press Train now on the{" "}
        <Link href={`/projects/${projectId}/models`} className="font-medium text-indigo-700 hover:underline">
          Models
        </Link>{" "}
        tab.
      </EmptyState>
    );

  const nameOf = (id: number | null) => ready.find((v) => v.id === id);
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-lg font-semibold tracking-tight">Compare versions</h2>
        <p className="text-sm text-zinc-600">
          Both versions are measured on the current labeled test set — the figures the Models table shows. A is the
          baseline, B the candidate.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-80">
          <VersionSelect label="A · baseline" versions={ready} value={a} onChange={(id) => choose({ a: id, b })} />
        </div>
        <Button variant="ghost" aria-label="Swap A and B" onClick={() => choose({ a: b, b: a })} className="mb-0.5">
          ⇄ Swap
        </Button>
        <div className="w-80">
          <VersionSelect label="B · candidate" versions={ready} value={b} onChange={(id) => choose({ a, b: id })} />
        </div>
      </div>

      {a === b ? (
        <p className="text-sm text-amber-800">Pick two different versions.</p>
      ) : comparison.isPending ? (
        <p className="text-sm text-zinc-500" role="status">
          Running both versions on the test split…
        </p>
      ) : comparison.error ? (
        <InlineError error={comparison.error} />
      ) : (
        <ComparisonView projectId={projectId} c={comparison.data} versionA={nameOf(a)} versionB={nameOf(b)} />
      )}
    </div>
  );
}

function VersionSelect({
  label,
  versions,
  value,
  onChange,
}: {
  label: string;
  versions: Version[];
  value: number | null;
  onChange: (id: number) => void;
}) {
  return (
    <SelectField label={label} value={value ?? ""} onChange={(e) => onChange(Number(e.target.value))}>
      {versions.map((v) => (
        <option key={v.id} value={v.id}>
          v{v.number}
          {v.active ? " (active)" : ""} · {v.trainLabelCount} labels · F1 {percent(v.testMacroF1)}
        </option>
      ))}
    </SelectField>
  );
}

function ComparisonView({
  projectId,
  c,
  versionA,
  versionB,
}: {
  projectId: number;
  c: Comparison;
  versionA?: Version;
  versionB?: Version;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const activate = useMutation(
    trpc.models.activate.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.models.list.queryKey({ projectId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.models.get.pathKey() }),
        ]),
    }),
  );
  const A = `v${c.a.number}`;
  const B = `v${c.b.number}`;
  const ci = c.macroF1Diff?.ci95 ?? null;
  // One rule decides the verdict, its colour and the headline rows: the bootstrap interval of the macro-F1 difference.
  const f1Significant = c.outcome !== "no-difference";
  const bBetter = c.outcome === "better";
  const className = new Map(c.classes.map((k) => [k.id, k.name]));
  const names = (ids: number[]) => (ids.length ? ids.map((id) => className.get(id) ?? `#${id}`).join(", ") : "(none)");

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="verdict"
        className={`rounded-lg p-4 ring-1 ring-inset ${c.significant ? (bBetter ? "bg-emerald-50 ring-emerald-200" : "bg-red-50 ring-red-200") : "bg-white ring-zinc-200"}`}
      >
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="max-w-3xl space-y-2">
            <div className="flex items-center gap-2">
              <h3 id="verdict" className="text-sm font-semibold text-zinc-900">
                Verdict
              </h3>
              {c.outcome === "better" ? (
                <Badge tone="green">{B} better</Badge>
              ) : c.outcome === "worse" ? (
                <Badge tone="red">{B} worse</Badge>
              ) : (
                <Badge>No detectable difference</Badge>
              )}
            </div>
            <p className="text-base text-zinc-900">{c.verdict}</p>
            <p className="text-xs text-zinc-600">
              The verdict follows the paired bootstrap 95% interval of the macro-F1 difference: better or worse only
              when the whole interval is on one side of 0. Test set {c.testSet.n} / {c.testSet.target}. For reference,
              McNemar&apos;s exact test on {c.n} test items: {c.mcnemar.b} only {A} got right, {c.mcnemar.c} only {B}{" "}
              got right, p ={" "}
              {c.mcnemar.pValue < 0.001 ? c.mcnemar.pValue.toExponential(1) : c.mcnemar.pValue.toFixed(3)}.
              {ci ? ` Bootstrap 95% CI of macro-F1 (${B} − ${A}): ${fmtPoints(ci[0])} to ${fmtPoints(ci[1])} pt.` : ""}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            {versionB?.active ? (
              <ActiveChip name={B} />
            ) : (
              <Button onClick={() => activate.mutate({ modelVersionId: c.b.id })} disabled={activate.isPending}>
                Promote {B}
              </Button>
            )}
            {versionA?.active ? (
              <ActiveChip name={A} />
            ) : (
              <Button
                variant="secondary"
                onClick={() => activate.mutate({ modelVersionId: c.a.id })}
                disabled={activate.isPending}
              >
                Roll back to {A}
              </Button>
            )}
          </div>
        </div>
        {activate.error ? <InlineError error={activate.error} className="mt-2" /> : null}
        {activate.isSuccess ? (
          <p role="status" className="mt-2 text-sm text-emerald-800">
            v{activate.data.number} is now active.
          </p>
        ) : null}
      </section>

      <Card title="Side by side">
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">
              Test metrics of {A} and {B} with the change from A to B
            </caption>
            <thead className="border-b border-zinc-200 bg-zinc-50/60">
              <tr>
                <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                  Metric
                </th>
                <th scope="col" className="px-4 py-2 text-right text-xs font-medium text-zinc-500">
                  A · {A}
                </th>
                <th scope="col" className="px-4 py-2 text-right text-xs font-medium text-zinc-500">
                  B · {B}
                </th>
                <th scope="col" className="px-4 py-2 text-right text-xs font-medium text-zinc-500">
                  Change
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              <MetricRow
                label="Macro-F1"
                a={c.a.macroF1}
                b={c.b.macroF1}
                significant={f1Significant}
                strong
                note={`95%: ${interval(c.a.macroF1Ci)} → ${interval(c.b.macroF1Ci)}`}
              />
              <MetricRow
                label="Accuracy"
                a={c.a.accuracy}
                b={c.b.accuracy}
                significant={f1Significant}
                strong
                note={`95% (Wilson): ${interval(c.a.accuracyCi)} → ${interval(c.b.accuracyCi)}`}
              />
              {c.perClass.map((row) => (
                <MetricRow
                  key={row.label}
                  label={`F1 · ${row.label}`}
                  a={row.f1A}
                  b={row.f1B}
                  significant={null}
                  note={`P ${percent(row.precisionA, 0)} → ${percent(row.precisionB, 0)} · R ${percent(row.recallA, 0)} → ${percent(row.recallB, 0)}`}
                />
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-6 text-xs text-zinc-500">
          The headline changes are coloured only when the verdict (the interval of the macro-F1 difference) says better
          or worse; per-class changes are not tested one by one and are coloured by direction alone.
        </p>
      </Card>

      <Card title={`Disagreements (${c.disagreementCount})`}>
        {c.disagreements.length === 0 ? (
          <p className="text-sm text-zinc-500">Both versions predict the same class on every test item.</p>
        ) : (
          <>
            <div className="-m-4 overflow-x-auto">
              <table className="w-full text-sm">
                <caption className="sr-only">
                  Test items where {A} and {B} predict differently
                </caption>
                <thead className="border-b border-zinc-200 bg-zinc-50/60">
                  <tr>
                    <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                      Text
                    </th>
                    <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                      True label
                    </th>
                    <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                      {A} predicts
                    </th>
                    <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                      {B} predicts
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {c.disagreements.map((d) => {
                    const truth = names(d.labelClassIds);
                    return (
                      <tr key={d.itemId} className="align-top hover:bg-zinc-50">
                        <td className="max-w-xl px-4 py-2.5">
                          <Link
                            href={`/projects/${projectId}/items/${d.itemId}`}
                            className="line-clamp-2 text-zinc-800 hover:text-indigo-700 hover:underline"
                            title={d.text}
                          >
                            {d.text}
                          </Link>
                        </td>
                        <td className="px-4 py-2.5 font-medium whitespace-nowrap text-zinc-900">{truth}</td>
                        <Prediction label={names(d.predictedA)} correct={names(d.predictedA) === truth} />
                        <Prediction label={names(d.predictedB)} correct={names(d.predictedB) === truth} />
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {c.disagreementCount > c.disagreements.length ? (
              <p className="mt-6 text-xs text-zinc-500">
                Showing the first {c.disagreements.length} of {c.disagreementCount}.
              </p>
            ) : null}
          </>
        )}
      </Card>
    </div>
  );
}

function ActiveChip({ name }: { name: string }) {
  return (
    <span className="inline-flex items-center gap-1.5 rounded-md bg-emerald-50 px-3 py-1.5 text-sm font-medium text-emerald-800 ring-1 ring-emerald-200 ring-inset">
      <span aria-hidden>✓</span>
      {name} is active
    </span>
  );
}

function fmtPoints(x: number) {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;
}

function MetricRow({
  label,
  a,
  b,
  significant,
  strong = false,
  note,
}: {
  label: string;
  a: number;
  b: number;
  significant: boolean | null;
  strong?: boolean;
  note?: string;
}) {
  return (
    <tr>
      <th
        scope="row"
        className={`px-4 py-2 text-left ${strong ? "font-semibold text-zinc-900" : "font-normal text-zinc-700"}`}
      >
        {label}
        {note ? <div className="text-xs font-normal text-zinc-500">{note}</div> : null}
      </th>
      <td className="px-4 py-2 text-right tabular-nums">{percent(a)}</td>
      <td className="px-4 py-2 text-right tabular-nums">{percent(b)}</td>
      <td className="px-4 py-2 text-right">
        <Delta value={b - a} significant={significant} />
      </td>
    </tr>
  );
}

function Prediction({ label, correct }: { label: string; correct: boolean }) {
  return (
    <td className="px-4 py-2.5 whitespace-nowrap">
      <span className={`inline-flex items-center gap-1 ${correct ? "text-emerald-700" : "text-red-700"}`}>
        <span aria-hidden>{correct ? "✓" : "✗"}</span>
        {label}
        <span className="sr-only">{correct ? "(correct)" : "(wrong)"}</span>
      </span>
    </td>
  );
}
