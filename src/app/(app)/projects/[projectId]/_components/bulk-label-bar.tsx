"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";
import type { ClassInfo } from "./use-project-classes";

/**
 * Labels the selected items with one class (admins only). Multi-label projects get the chosen class as the item's
 * whole label, the same as an annotator choosing just that class.
 */
export function BulkLabelBar({
  projectId,
  selected,
  classes,
  onDone,
}: {
  projectId: number;
  selected: number[];
  classes: ClassInfo[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [classId, setClassId] = useState<number | "">("");
  const [message, setMessage] = useState<string | null>(null);
  const bulk = useMutation(
    trpc.labels.bulk.mutationOptions({
      onSuccess: async (result) => {
        setMessage(
          `Labeled ${result.labeled.toLocaleString()} item${result.labeled === 1 ? "" : "s"}${result.retrainQueued ? " · retraining queued" : ""}`,
        );
        onDone();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.items.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) }),
        ]);
      },
    }),
  );
  if (!selected.length && !message && !bulk.error) return null;
  return (
    <div
      role="region"
      aria-label="Bulk label"
      className="flex flex-wrap items-center gap-3 rounded-lg bg-indigo-50 px-4 py-2.5 text-sm ring-1 ring-indigo-200"
    >
      {selected.length ? (
        <>
          <span className="font-medium text-indigo-900">{selected.length.toLocaleString()} selected</span>
          <label className="flex items-center gap-2 text-indigo-900">
            <span>Label as</span>
            <select
              value={classId}
              onChange={(event) => setClassId(event.target.value ? Number(event.target.value) : "")}
              className="rounded-md border-0 bg-white py-1 pr-8 pl-2 text-sm ring-1 ring-inset ring-indigo-200 focus:ring-2 focus:ring-indigo-500"
            >
              <option value="">Choose a class…</option>
              {classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <Button
            disabled={classId === "" || bulk.isPending}
            onClick={() => {
              setMessage(null);
              if (classId !== "") bulk.mutate({ projectId, itemIds: selected, classIds: [classId] });
            }}
          >
            {bulk.isPending ? "Labeling…" : "Apply label"}
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Clear selection
          </Button>
        </>
      ) : null}
      {message ? (
        <span role="status" className="text-emerald-700">
          ✓ {message}
        </span>
      ) : null}
      {bulk.error ? (
        <span role="alert" className="text-red-700">
          {errorMessage(bulk.error)}
        </span>
      ) : null}
    </div>
  );
}
