"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ClassChip } from "@/components/ui/class-chip";
import { DataTable, Td, Th } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { percent } from "../../../_components/format-metric";
import { useProjectClasses } from "../../../_components/use-project-classes";
import { AddToGuidelines } from "./add-to-guidelines";
import { ItemFlags } from "./item-flags";
import { SimilarItems } from "./similar-items";

const originLabels: Record<string, string> = {
  human: "Human",
  generated: "Generated",
  imported: "Imported",
  model_accepted: "Accepted prediction",
};

export function ItemDetail({ projectId, itemId, isAdmin }: { projectId: number; itemId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const item = useQuery(trpc.items.get.queryOptions({ projectId, itemId }));
  const { classes, classOf } = useProjectClasses(projectId);
  const back = (
    <Link href={`/projects/${projectId}/items`} className="text-sm text-zinc-500 hover:text-zinc-800">
      ← All items
    </Link>
  );

  if (item.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (item.error) {
    return (
      <div className="space-y-3">
        {back}
        <InlineError error={item.error} />
      </div>
    );
  }
  const it = item.data;
  // The item's label is its latest annotation that was not undone; earlier ones were superseded.
  const current = [...it.annotations].reverse().find((a) => !a.undoneAt);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          {back}
          <h2 className="mt-1 text-lg font-semibold">
            Item <span className="font-mono">#{it.id}</span>
            {it.externalId ? (
              <span className="ml-2 font-mono text-sm font-normal text-zinc-500">{it.externalId}</span>
            ) : null}
          </h2>
        </div>
        <div className="flex flex-wrap gap-2">
          <Badge tone={it.labelStatus === "labeled" ? "green" : it.labelStatus === "skipped" ? "amber" : "neutral"}>
            {it.labelStatus}
          </Badge>
          <Badge>split: {it.split}</Badge>
          <Badge tone={it.source === "generated" ? "indigo" : "neutral"}>{it.source}</Badge>
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title="Text">
            <p className="text-[15px] leading-relaxed [overflow-wrap:anywhere] whitespace-pre-wrap text-zinc-900">
              {it.text}
            </p>
            <p className="mt-3 text-xs text-zinc-400">{it.text.length.toLocaleString()} characters</p>
          </Card>

          <section aria-labelledby="history-title" className="space-y-2">
            <h3 id="history-title" className="text-sm font-semibold text-zinc-900">
              Label history
            </h3>
            {it.annotations.length === 0 ? (
              <EmptyState title="Not labeled yet">
                Labels from annotators, imports and bulk actions appear here, including undone ones.
              </EmptyState>
            ) : (
              <DataTable label="Label history">
                <thead>
                  <tr>
                    <Th>When</Th>
                    <Th>Who</Th>
                    <Th>Origin</Th>
                    <Th>Label</Th>
                    <Th>State</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {[...it.annotations].reverse().map((a) => (
                    <tr key={a.id} className={a.undoneAt ? "text-zinc-400" : undefined}>
                      <Td className="text-xs whitespace-nowrap">{new Date(a.createdAt).toLocaleString()}</Td>
                      <Td>{a.user?.name ?? <span className="text-zinc-400">—</span>}</Td>
                      <Td className="text-xs">
                        {a.adjudicated ? "Adjudicated" : (originLabels[a.origin] ?? a.origin)}
                        {a.modelVersion ? (
                          <span className="block text-zinc-400">
                            saw v{a.modelVersion.number}
                            {a.acceptedPrediction ? ", accepted" : ""}
                          </span>
                        ) : null}
                        {a.guidelineRevision ? (
                          <span className="block text-zinc-400">guidelines revision {a.guidelineRevision}</span>
                        ) : null}
                      </Td>
                      <Td>
                        {a.skipped ? (
                          <span className="text-xs">
                            Skipped{a.skipReason ? <span className="block text-zinc-500">“{a.skipReason}”</span> : null}
                            {a.comment ? <span className="block text-zinc-600">{a.comment}</span> : null}
                          </span>
                        ) : (
                          <span className={`flex flex-wrap gap-1 ${a.undoneAt ? "line-through opacity-60" : ""}`}>
                            {a.classIds.map((id) => (
                              <ClassChip key={id} {...classOf(id)} />
                            ))}
                          </span>
                        )}
                      </Td>
                      <Td>
                        {a.undoneAt ? (
                          <Badge tone="red">undone {new Date(a.undoneAt).toLocaleTimeString()}</Badge>
                        ) : a.id === current?.id ? (
                          <Badge tone="green">current</Badge>
                        ) : (
                          <Badge>superseded</Badge>
                        )}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            )}
          </section>
        </div>

        <div className="space-y-6">
          <Card title="Label">
            {it.labelStatus === "labeled" ? (
              <div className="flex flex-wrap gap-1.5">
                {it.labelClassIds.map((id) => (
                  <ClassChip key={id} {...classOf(id)} />
                ))}
              </div>
            ) : (
              <p className="text-sm text-zinc-500">{it.labelStatus === "skipped" ? "Skipped" : "Unlabeled"}</p>
            )}
            {it.labeledAt ? (
              <p className="mt-2 text-xs text-zinc-500">
                {originLabels[it.labelOrigin ?? ""] ?? it.labelOrigin} · {new Date(it.labeledAt).toLocaleString()}
              </p>
            ) : null}
            {it.leasedBy && it.leaseExpiresAt && new Date(it.leaseExpiresAt) > new Date() ? (
              <p className="mt-2 text-xs text-amber-700">
                In {it.leasedBy.name}’s queue until {new Date(it.leaseExpiresAt).toLocaleTimeString()}
              </p>
            ) : null}
          </Card>

          <Card title={it.prediction ? `Prediction · v${it.prediction.versionNumber}` : "Prediction"}>
            {it.prediction ? (
              <div className="space-y-3">
                <ul className="space-y-2" aria-label="Class probabilities">
                  {it.prediction.probabilities.map((p) => {
                    const c = classOf(p.classId);
                    const predicted = it.prediction!.predictedClassIds.includes(p.classId);
                    return (
                      <li key={p.classId}>
                        <div className="flex justify-between text-sm">
                          <span className={predicted ? "font-medium" : "text-zinc-600"}>{c.name}</span>
                          <span className="text-zinc-600 tabular-nums">{percent(p.probability)}</span>
                        </div>
                        <div aria-hidden className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100">
                          <div
                            className="h-full rounded-full"
                            style={{ width: `${Math.max(0.5, p.probability * 100)}%`, background: c.color }}
                          />
                        </div>
                      </li>
                    );
                  })}
                </ul>
                <dl className="grid grid-cols-2 gap-2 border-t border-zinc-100 pt-3 text-xs">
                  <Fact label="Uncertainty">{it.prediction.uncertainty.toFixed(3)}</Fact>
                  <Fact label="Confidence">{percent(it.prediction.confidence)}</Fact>
                  {it.prediction.mislabelScore !== null ? (
                    <Fact label="Mislabel score">{it.prediction.mislabelScore.toFixed(3)}</Fact>
                  ) : null}
                </dl>
              </div>
            ) : (
              <p className="text-sm text-zinc-500">
                The active model has not scored this item (or no model is active yet).
              </p>
            )}
          </Card>

          <Card title="Details">
            <dl className="space-y-2.5 text-sm">
              <Fact label="Added">{new Date(it.createdAt).toLocaleString()}</Fact>
              <Fact label="Source">{it.source}</Fact>
              {it.generationRun ? (
                <Fact label="Generation run">
                  #{it.generationRun.id} · {it.generationRun.model} · template {it.generationRun.templateVersion}
                </Fact>
              ) : null}
              <Fact label="Split">{it.split}</Fact>
              <Fact label="Content hash">
                <span className="font-mono text-xs break-all text-zinc-500">{it.contentHash.slice(0, 16)}…</span>
              </Fact>
              {it.metadata ? (
                <Fact label="Metadata">
                  <Json value={it.metadata} />
                </Fact>
              ) : null}
              {it.provenance ? (
                <Fact label="Provenance">
                  <Json value={it.provenance} />
                </Fact>
              ) : null}
            </dl>
          </Card>
          <ItemFlags projectId={projectId} itemId={itemId} isAdmin={isAdmin} />
          {isAdmin ? (
            <AddToGuidelines
              projectId={projectId}
              itemId={itemId}
              classes={classes}
              defaultClassId={it.labelClassIds[0]}
            />
          ) : null}
        </div>
      </div>

      <SimilarItems projectId={projectId} itemId={itemId} isAdmin={isAdmin} classes={classes} classOf={classOf} />
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-zinc-800">{children}</dd>
    </div>
  );
}

function Json({ value }: { value: unknown }) {
  return (
    <pre className="mt-1 max-h-48 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-xs text-zinc-700 ring-1 ring-zinc-200">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
