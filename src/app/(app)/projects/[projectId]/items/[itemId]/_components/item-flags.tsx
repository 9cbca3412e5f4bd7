"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

/** The item's flags: what annotators asked, and (admins) resolving the open ones with a note. */
export function ItemFlags({ projectId, itemId, isAdmin }: { projectId: number; itemId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const flags = useQuery(trpc.flags.forItem.queryOptions({ projectId, itemId }));
  const [notes, setNotes] = useState<Record<number, string>>({});
  const resolve = useMutation(
    trpc.flags.resolve.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.flags.forItem.queryKey({ projectId, itemId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.items.pathKey() }),
        ]),
    }),
  );
  if (!flags.data || flags.data.length === 0) return null;
  return (
    <Card title="Flags">
      {resolve.error ? <InlineError error={resolve.error} className="mb-2" /> : null}
      <ul className="space-y-3" aria-label="Flags">
        {flags.data.map((f) => (
          <li key={f.id} className="text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={f.resolvedAt ? "neutral" : "amber"}>{f.resolvedAt ? "resolved" : "open"}</Badge>
              <span className="text-xs text-zinc-600">
                {f.raisedBy ?? "someone"} · {new Date(f.createdAt).toLocaleString()}
              </span>
            </div>
            <p className="mt-1 text-zinc-800">“{f.comment}”</p>
            {f.resolvedAt ? (
              <p className="mt-1 text-xs text-zinc-600">
                Resolved by {f.resolvedBy ?? "an admin"}
                {f.resolution ? `: ${f.resolution}` : ""}
              </p>
            ) : isAdmin ? (
              <form
                className="mt-2 flex flex-wrap gap-2"
                aria-label={`Resolve flag ${f.id}`}
                onSubmit={(e) => {
                  e.preventDefault();
                  resolve.mutate({ projectId, flagId: f.id, resolution: notes[f.id] ?? "" });
                }}
              >
                <input
                  type="text"
                  value={notes[f.id] ?? ""}
                  maxLength={1000}
                  onChange={(e) => setNotes({ ...notes, [f.id]: e.target.value })}
                  aria-label="Resolution note (optional)"
                  placeholder="What was done (optional)"
                  className="min-w-0 flex-1 rounded-md border-0 px-2 py-1 text-sm ring-1 ring-zinc-300 ring-inset"
                />
                <Button type="submit" variant="secondary" disabled={resolve.isPending}>
                  Resolve
                </Button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
