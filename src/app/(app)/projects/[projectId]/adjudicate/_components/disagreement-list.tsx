"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ClassChip } from "@/components/ui/class-chip";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { useProjectClasses } from "../../_components/use-project-classes";

/**
 * Items whose annotators disagree (Settings → Annotators per item above 1): each vote, the model's prediction, and
 * one button per answer; the admin's decision becomes the item's label and is recorded as an adjudication.
 */
export function DisagreementList({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { project, classes, classOf } = useProjectClasses(projectId);
  const [pair, setPair] = useState<{ a: number | null; b: number | null }>({ a: null, b: null });
  const filter = pair.a !== null && pair.b !== null && pair.a !== pair.b ? { classA: pair.a, classB: pair.b } : {};
  const list = useQuery(trpc.adjudication.disagreements.queryOptions({ projectId, ...filter }));
  const decide = useMutation(
    trpc.adjudication.decide.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.adjudication.disagreements.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.labels.agreement.pathKey() }),
        ]),
    }),
  );
  const multilabel = project.data?.taskType === "multilabel";
  const overlap = project.data?.annotationOverlap ?? 1;

  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-lg font-semibold tracking-tight">Disagreements</h2>
        <p className="text-sm text-zinc-600">
          Items whose annotators chose different classes and that nobody has decided yet. Your decision becomes the
          item&apos;s label; the votes stay in its history.
        </p>
      </div>
      <form aria-label="Class pair" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <div className="w-44">
          <SelectField
            label="One vote says"
            value={pair.a ?? ""}
            onChange={(e) => setPair({ ...pair, a: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">Any class</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="w-44">
          <SelectField
            label="another says"
            value={pair.b ?? ""}
            onChange={(e) => setPair({ ...pair, b: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">Any class</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
        </div>
      </form>
      {list.error ? <InlineError error={list.error} /> : null}
      {decide.error ? <InlineError error={decide.error} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title="No open disagreements">
          {overlap <= 1
            ? "Each item goes to one annotator (Settings → Annotators per item), so votes cannot disagree yet."
            : "Every item with differing votes has been decided."}
        </EmptyState>
      ) : null}
      {list.data && list.data.items.length ? (
        <p className="text-xs text-zinc-600" role="status">
          {list.data.items.length < list.data.total
            ? `The first ${list.data.items.length} of ${list.data.total.toLocaleString()} items`
            : `${list.data.total.toLocaleString()} ${list.data.total === 1 ? "item" : "items"}`}
        </p>
      ) : null}
      <ul className="space-y-4" aria-label="Items with disagreeing votes">
        {list.data?.items.map(({ item, votes, prediction }) => {
          const answers = multilabel
            ? [...new Map(votes.map((v) => [[...v.classIds].sort((x, y) => x - y).join(","), v.classIds])).values()]
            : classes.map((c) => [c.id]);
          return (
            <li key={item.id}>
              <Card
                title={
                  <Link href={`/projects/${projectId}/items/${item.id}`} className="underline">
                    Item #{item.id}
                  </Link>
                }
              >
                <p className="text-[15px] leading-relaxed [overflow-wrap:anywhere] whitespace-pre-wrap text-zinc-900">
                  {item.text}
                </p>
                <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
                  <div>
                    <dt className="text-xs font-medium text-zinc-600">Votes</dt>
                    <dd>
                      <ul aria-label={`Votes on item ${item.id}`} className="mt-1 space-y-1">
                        {votes.map((v) => (
                          <li key={v.userId} className="flex flex-wrap items-center gap-1.5">
                            <span className="text-zinc-700">{v.name}:</span>
                            {v.classIds.map((id) => (
                              <ClassChip key={id} {...classOf(id)} />
                            ))}
                          </li>
                        ))}
                      </ul>
                    </dd>
                  </div>
                  <div>
                    <dt className="text-xs font-medium text-zinc-600">Model</dt>
                    <dd className="mt-1">
                      {prediction ? (
                        <span className="flex flex-wrap items-center gap-1.5">
                          v{prediction.versionNumber} predicts
                          {prediction.predictedClassIds.map((id) => (
                            <ClassChip key={id} {...classOf(id)} />
                          ))}
                          <span className="text-xs text-zinc-600">
                            (
                            {prediction.probabilities
                              .filter((p) => prediction.predictedClassIds.includes(p.classId))
                              .map((p) => `${(p.probability * 100).toFixed(0)}%`)
                              .join(", ")}
                            )
                          </span>
                        </span>
                      ) : (
                        <span className="text-zinc-600">
                          no prediction (no active model, or it has not scored this item)
                        </span>
                      )}
                    </dd>
                  </div>
                </dl>
                <div className="mt-4 flex flex-wrap gap-2" role="group" aria-label={`Decide item ${item.id}`}>
                  {answers.map((ids) => {
                    const names = ids.map((id) => classOf(id).name).join(" + ") || "no class";
                    return (
                      <Button
                        key={ids.join(",")}
                        variant="secondary"
                        disabled={decide.isPending}
                        onClick={() => decide.mutate({ projectId, itemId: item.id, classIds: ids })}
                      >
                        Decide {names}
                      </Button>
                    );
                  })}
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
