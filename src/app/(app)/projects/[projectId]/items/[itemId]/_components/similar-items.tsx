"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ClassChip } from "@/components/ui/class-chip";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";
import { BulkLabelBar } from "../../../_components/bulk-label-bar";
import type { ClassInfo } from "../../../_components/use-project-classes";

/** Nearest neighbours on demand (the scan reads up to 100k vectors, so it runs when asked, not on every visit). */
export function SimilarItems({
  projectId,
  itemId,
  isAdmin,
  classes,
  classOf,
}: {
  projectId: number;
  itemId: number;
  isAdmin: boolean;
  classes: ClassInfo[];
  classOf: (id: number) => ClassInfo;
}) {
  const trpc = useTRPC();
  const [asked, setAsked] = useState(false);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const similar = useQuery({
    ...trpc.items.similar.queryOptions({ projectId, itemId, limit: 20 }),
    enabled: asked,
    staleTime: 60_000,
  });
  const items = similar.data?.items ?? [];
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <Card
      title="Similar items"
      actions={
        <Button
          variant="secondary"
          onClick={() => (asked ? void similar.refetch() : setAsked(true))}
          disabled={similar.isFetching}
        >
          {similar.isFetching ? "Searching…" : asked ? "Search again" : "Find similar"}
        </Button>
      }
    >
      {!asked ? (
        <p className="text-sm text-zinc-500">
          Nearest items by cosine similarity of the project featurizer’s embeddings — handy for labeling near-duplicates
          in one go.
        </p>
      ) : null}
      {similar.error ? <InlineError error={similar.error} /> : null}
      {similar.data ? (
        <div className="space-y-3">
          <p className="text-xs text-zinc-500">
            Compared {similar.data.compared.toLocaleString()} embedded items of {similar.data.scanned.toLocaleString()}{" "}
            scanned
            {similar.data.complete ? "" : " (the first part of a large project — the scan is capped)"} · featurizer{" "}
            {similar.data.featurizerId}
          </p>
          {isAdmin ? (
            <BulkLabelBar
              projectId={projectId}
              selected={[...selected]}
              classes={classes}
              onDone={() => setSelected(new Set())}
            />
          ) : null}
          {items.length === 0 ? (
            <p className="text-sm text-zinc-500">
              No other item has an embedding yet: they are computed after an import and when a model scores the project.
            </p>
          ) : (
            <ol className="divide-y divide-zinc-100" aria-label="Similar items">
              {items.map((item) => (
                <li key={item.id} className="flex items-start gap-3 py-2.5">
                  {isAdmin ? (
                    <input
                      type="checkbox"
                      aria-label={`Select similar item ${item.id}`}
                      checked={selected.has(item.id)}
                      onChange={() => toggle(item.id)}
                      className="mt-1 h-4 w-4 accent-indigo-600"
                    />
                  ) : null}
                  <span
                    className="w-14 shrink-0 pt-0.5 text-right font-mono text-xs text-zinc-500 tabular-nums"
                    title="Cosine similarity"
                  >
                    {item.similarity.toFixed(3)}
                  </span>
                  <Link
                    href={`/projects/${projectId}/items/${item.id}`}
                    className="min-w-0 flex-1 text-sm text-zinc-900 hover:text-indigo-700"
                  >
                    <span className="line-clamp-2">{item.text}</span>
                  </Link>
                  <span className="flex shrink-0 flex-wrap justify-end gap-1">
                    {item.labelStatus === "labeled" ? (
                      item.labelClassIds.map((id) => <ClassChip key={id} {...classOf(id)} />)
                    ) : (
                      <Badge tone={item.labelStatus === "skipped" ? "amber" : "neutral"}>{item.labelStatus}</Badge>
                    )}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      ) : null}
    </Card>
  );
}
