"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { ClassChip } from "@/components/ui/class-chip";
import { DataTable, Td, Th } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Pager } from "@/components/ui/pager";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";
import { BulkLabelBar } from "../../_components/bulk-label-bar";
import { useProjectClasses, type ClassInfo } from "../../_components/use-project-classes";
import { ItemFiltersBar } from "./item-filters-bar";
import { hasFilters, paramsFromView, viewFromParams, type ItemsView } from "./items-query";

const PAGE_SIZE = 50;
const statusTone = { labeled: "green", unlabeled: "neutral", skipped: "amber" } as const;

export function ItemsTable({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => viewFromParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const { classes, classOf } = useProjectClasses(projectId);
  const [selection, setSelection] = useState<{ key: string; ids: Set<number> }>({ key: "", ids: new Set() });

  const { after, before, sort, dir, ...filters } = view;
  const list = useQuery({
    ...trpc.items.list.queryOptions({ projectId, ...filters, sort, dir, after, before, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const count = useQuery({
    ...trpc.items.count.queryOptions({ projectId, ...filters }),
    placeholderData: keepPreviousData,
  });

  // A selection belongs to the page it was made on: any change of filters or page starts a new one.
  const viewKey = searchParams.toString();
  const selected = selection.key === viewKey ? selection.ids : new Set<number>();
  const setSelected = (ids: Set<number>) => setSelection({ key: viewKey, ids });

  const go = (next: ItemsView) => {
    const query = paramsFromView(next).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  const setView = (patch: Partial<ItemsView>) => go({ ...view, ...patch, after: undefined, before: undefined });

  const rows = list.data?.items ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const total = count.data
    ? `${count.data.count.toLocaleString()}${count.data.capped ? "+" : ""} item${count.data.count === 1 ? "" : "s"}`
    : "Counting…";

  return (
    <div className="space-y-4">
      <ItemFiltersBar
        projectId={projectId}
        view={view}
        classes={classes}
        onChange={setView}
        onClear={() => go({ sort: view.sort, dir: view.dir })}
      />
      {isAdmin ? (
        <BulkLabelBar
          projectId={projectId}
          selected={[...selected]}
          classes={classes}
          onDone={() => setSelected(new Set())}
        />
      ) : null}
      {list.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
          {errorMessage(list.error)}
        </p>
      ) : null}
      {list.data && rows.length === 0 ? (
        <EmptyState title={hasFilters(view) ? "No items match these filters" : "No items yet"}>
          {hasFilters(view) ? (
            "Change or clear the filters."
          ) : isAdmin ? (
            <Link className="text-indigo-600 underline" href={`/projects/${projectId}/import`}>
              Import a file
            </Link>
          ) : (
            "An admin imports the texts to label."
          )}
        </EmptyState>
      ) : (
        <DataTable
          label="Items"
          footer={
            <Pager
              label="Item pages"
              summary={
                <span aria-live="polite">
                  {total}
                  {list.isFetching ? <span className="ml-2 text-zinc-400">Loading…</span> : null}
                </span>
              }
              onPrevious={
                list.data?.prevCursor
                  ? () => go({ ...view, before: list.data.prevCursor!, after: undefined })
                  : undefined
              }
              onNext={
                list.data?.nextCursor
                  ? () => go({ ...view, after: list.data.nextCursor!, before: undefined })
                  : undefined
              }
            />
          }
        >
          <thead>
            <tr>
              {isAdmin ? (
                <Th className="w-10">
                  <input
                    type="checkbox"
                    aria-label="Select all items on this page"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                    className="h-4 w-4 accent-indigo-600"
                  />
                </Th>
              ) : null}
              <Th className="w-20">ID</Th>
              <Th>Text</Th>
              <Th className="w-44">Label</Th>
              <Th className="w-44">
                Predicted{list.data?.activeVersion ? ` (v${list.data.activeVersion.number})` : ""}
              </Th>
              <Th className="w-28 text-right">Uncertainty</Th>
              <Th className="w-28">Split · source</Th>
              <Th className="w-36">Labeled</Th>
            </tr>
          </thead>
          {/* The previous filter's rows, dimmed, until the new ones arrive: busy for assistive technology too. */}
          <tbody
            className={`divide-y divide-zinc-100 ${list.isPlaceholderData ? "opacity-60" : ""}`}
            aria-busy={list.isPlaceholderData}
          >
            {list.isPending
              ? Array.from({ length: 8 }, (_, i) => (
                  <tr key={i}>
                    <td colSpan={isAdmin ? 8 : 7} className="px-3 py-3">
                      <div className="h-4 animate-pulse rounded bg-zinc-100" />
                    </td>
                  </tr>
                ))
              : rows.map((item) => {
                  const href = `/projects/${projectId}/items/${item.id}`;
                  return (
                    <tr key={item.id} className={`hover:bg-zinc-50 ${selected.has(item.id) ? "bg-indigo-50/60" : ""}`}>
                      {isAdmin ? (
                        <Td>
                          <input
                            type="checkbox"
                            aria-label={`Select item ${item.id}`}
                            checked={selected.has(item.id)}
                            onChange={() => {
                              const next = new Set(selected);
                              if (next.has(item.id)) next.delete(item.id);
                              else next.add(item.id);
                              setSelected(next);
                            }}
                            className="h-4 w-4 accent-indigo-600"
                          />
                        </Td>
                      ) : null}
                      <Td className="font-mono text-xs text-zinc-500 tabular-nums">
                        <Link href={href} className="hover:text-indigo-600">
                          {item.id}
                        </Link>
                      </Td>
                      <Td className="min-w-72">
                        <Link
                          href={href}
                          className="line-clamp-2 text-zinc-900 hover:text-indigo-700"
                          title={item.textLength > item.text.length ? "Open the item for the full text" : undefined}
                        >
                          {item.text}
                          {item.textLength > item.text.length ? "…" : ""}
                        </Link>
                        {item.externalId ? (
                          <span className="mt-0.5 block font-mono text-xs text-zinc-400">{item.externalId}</span>
                        ) : null}
                      </Td>
                      <Td>
                        <LabelCell
                          status={item.labelStatus}
                          classIds={item.labelClassIds}
                          classOf={classOf}
                          origin={item.labelOrigin}
                        />
                      </Td>
                      <Td>
                        {item.predictedClassIds ? (
                          <span className="flex flex-wrap items-center gap-1">
                            {item.predictedClassIds.length ? (
                              item.predictedClassIds.map((id) => <ClassChip key={id} muted {...classOf(id)} />)
                            ) : (
                              <span className="text-xs text-zinc-400">none</span>
                            )}
                            {item.confidence !== null ? (
                              <span className="text-xs text-zinc-500 tabular-nums">
                                {Math.round(item.confidence * 100)}%
                              </span>
                            ) : null}
                          </span>
                        ) : (
                          <span className="text-xs text-zinc-400">—</span>
                        )}
                      </Td>
                      <Td className="text-right">
                        {item.uncertainty !== null ? (
                          <UncertaintyMeter value={item.uncertainty} />
                        ) : (
                          <span className="text-xs text-zinc-400">—</span>
                        )}
                      </Td>
                      <Td className="text-xs text-zinc-600">
                        <span className="block capitalize">{item.split}</span>
                        <span className="block text-zinc-400">{item.source}</span>
                      </Td>
                      <Td className="text-xs whitespace-nowrap text-zinc-500">
                        {item.labeledAt ? new Date(item.labeledAt).toLocaleString() : "—"}
                      </Td>
                    </tr>
                  );
                })}
          </tbody>
        </DataTable>
      )}
    </div>
  );
}

function LabelCell({
  status,
  classIds,
  classOf,
  origin,
}: {
  status: string;
  classIds: number[];
  classOf: (id: number) => ClassInfo;
  origin: string | null;
}) {
  if (status !== "labeled")
    return <Badge tone={statusTone[status as keyof typeof statusTone] ?? "neutral"}>{status}</Badge>;
  return (
    <span className="flex flex-wrap items-center gap-1">
      {classIds.map((id) => (
        <ClassChip key={id} {...classOf(id)} />
      ))}
      {/* Multi-label: "none of these classes" is a label too, and must not look like a missing one. */}
      {classIds.length === 0 ? <span className="text-xs text-zinc-500">no class</span> : null}
      {origin && origin !== "human" ? <span className="text-xs text-zinc-400">{origin.replace("_", " ")}</span> : null}
    </span>
  );
}

function UncertaintyMeter({ value }: { value: number }) {
  return (
    <span className="inline-flex items-center gap-2" title={`Uncertainty ${value.toFixed(3)}`}>
      <span aria-hidden className="h-1.5 w-12 overflow-hidden rounded-full bg-zinc-100">
        <span
          className="block h-full rounded-full bg-amber-400"
          style={{ width: `${Math.round(Math.min(1, value) * 100)}%` }}
        />
      </span>
      <span className="text-xs text-zinc-700 tabular-nums">{value.toFixed(2)}</span>
    </span>
  );
}
