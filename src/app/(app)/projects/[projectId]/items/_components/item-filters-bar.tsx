"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";
import type { ClassInfo } from "../../_components/use-project-classes";
import { defaultDir, hasFilters, type ItemsView } from "./items-query";

const STATUSES = [
  { value: "unlabeled", label: "Unlabeled" },
  { value: "labeled", label: "Labeled" },
  { value: "skipped", label: "Skipped" },
];
const SPLITS = [
  { value: "train", label: "Train" },
  { value: "test", label: "Test" },
  { value: "unassigned", label: "Unassigned" },
];
const SOURCES = [
  { value: "imported", label: "Imported" },
  { value: "generated", label: "Generated" },
  { value: "manual", label: "Manual" },
];

const control =
  "block w-full rounded-md border-0 bg-white py-1.5 pl-2.5 pr-8 text-sm text-zinc-900 shadow-xs ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 focus:outline-none";

export function ItemFiltersBar({
  projectId,
  view,
  classes,
  onChange,
  onClear,
}: {
  projectId: number;
  view: ItemsView;
  classes: ClassInfo[];
  onChange: (patch: Partial<ItemsView>) => void;
  onClear: () => void;
}) {
  const trpc = useTRPC();
  const annotators = useQuery(trpc.items.annotators.queryOptions({ projectId }));
  const number = (value: string) => (value === "" ? undefined : Number(value));
  const classOptions = classes.map((c) => ({ value: c.id, label: c.name }));

  return (
    <section aria-label="Filters" className="space-y-3 rounded-lg bg-white p-3 shadow-xs ring-1 ring-zinc-200">
      <div className="flex flex-wrap items-end gap-3">
        <SearchBox value={view.search ?? ""} onSearch={(search) => onChange({ search: search || undefined })} />
        <Select
          label="Sort by"
          value={view.sort}
          onChange={(sort) => onChange({ sort: sort as ItemsView["sort"], dir: defaultDir(sort as ItemsView["sort"]) })}
          className="w-40"
        >
          <option value="id">ID</option>
          <option value="uncertainty">Uncertainty</option>
          <option value="labeledAt">Labeled at</option>
        </Select>
        <Select
          label="Order"
          value={view.dir}
          onChange={(dir) => onChange({ dir: dir as ItemsView["dir"] })}
          className="w-44"
        >
          <option value="asc">{view.sort === "uncertainty" ? "Least uncertain first" : "Ascending"}</option>
          <option value="desc">{view.sort === "uncertainty" ? "Most uncertain first" : "Descending"}</option>
        </Select>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-9">
        <Select
          label="Status"
          value={view.labelStatus ?? ""}
          onChange={(v) => onChange({ labelStatus: (v || undefined) as ItemsView["labelStatus"] })}
          any="Any"
          options={STATUSES}
        />
        <Select
          label="Label"
          value={String(view.classId ?? "")}
          onChange={(v) => onChange({ classId: number(v) })}
          any="Any"
          options={classOptions}
        />
        <Select
          label="Predicted"
          value={String(view.predictedClassId ?? "")}
          onChange={(v) => onChange({ predictedClassId: number(v) })}
          any="Any"
          options={classOptions}
        />
        <Select
          label="Split"
          value={view.split ?? ""}
          onChange={(v) => onChange({ split: (v || undefined) as ItemsView["split"] })}
          any="Any"
          options={SPLITS}
        />
        <Select
          label="Source"
          value={view.source ?? ""}
          onChange={(v) => onChange({ source: (v || undefined) as ItemsView["source"] })}
          any="Any"
          options={SOURCES}
        />
        <Select
          label="Annotator"
          value={view.annotatorId ?? ""}
          onChange={(v) => onChange({ annotatorId: v || undefined })}
          any="Anyone"
          options={annotators.data?.map((a) => ({ value: a.id, label: a.name })) ?? []}
        />
        <Select
          label="Flags"
          value={view.flagged ? "open" : ""}
          onChange={(v) => onChange({ flagged: v === "open" ? true : undefined })}
          any="Any"
          options={[{ value: "open", label: "Open flags" }]}
        />
        <UnitInput
          label="Uncertainty ≥"
          value={view.uncertaintyMin}
          onCommit={(uncertaintyMin) => onChange({ uncertaintyMin })}
        />
        <UnitInput
          label="Uncertainty ≤"
          value={view.uncertaintyMax}
          onCommit={(uncertaintyMax) => onChange({ uncertaintyMax })}
        />
      </div>
      {hasFilters(view) ? (
        <div className="flex justify-end">
          <Button variant="ghost" onClick={onClear}>
            Clear filters
          </Button>
        </div>
      ) : null}
      {view.sort !== "id" ? (
        <p className="text-xs text-zinc-500">
          {view.sort === "uncertainty"
            ? "Items the active model has not scored come last."
            : "Items without a label come last."}
        </p>
      ) : null}
    </section>
  );
}

/** A labelled select: its children, or `options` after an "any" choice whose value is "". */
function Select({
  label,
  value,
  onChange,
  children,
  className = "",
  any,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
  className?: string;
  any?: string;
  options?: { value: string | number; label: string }[];
}) {
  const id = useId();
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
        {label}
      </label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} className={control}>
        {any !== undefined ? <option value="">{any}</option> : null}
        {options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {children}
      </select>
    </div>
  );
}

/** Searches as the user pauses typing (and at once on Enter), so each keystroke does not query a large project. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (value: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const latest = useRef(onSearch);
  useEffect(() => {
    latest.current = onSearch;
  });
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => latest.current(text.trim()), 400);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <form
      role="search"
      className="min-w-64 flex-1 space-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
        Search text
      </label>
      <input
        id={id}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="Words or phrase, case-insensitive"
        className={control}
        maxLength={200}
      />
    </form>
  );
}

function UnitInput({
  label,
  value,
  onCommit,
}: {
  label: string;
  value: number | undefined;
  onCommit: (value: number | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? "" : String(value));
  useEffect(() => setText(value === undefined ? "" : String(value)), [value]);
  const commit = () => {
    const n = text.trim() === "" ? undefined : Number(text);
    if (n === undefined || (Number.isFinite(n) && n >= 0 && n <= 1)) {
      if (n !== value) onCommit(n);
    } else setText(value === undefined ? "" : String(value));
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={0}
        max={1}
        step={0.05}
        placeholder="0–1"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit();
        }}
        className={control.replace("pr-8", "pr-2")}
      />
    </div>
  );
}
