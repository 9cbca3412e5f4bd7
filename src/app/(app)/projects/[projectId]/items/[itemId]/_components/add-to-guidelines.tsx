"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

/** Admins put this item's text into a class's guidelines, as an example or as a counter-example. */
export function AddToGuidelines({
  projectId,
  itemId,
  classes,
  defaultClassId,
}: {
  projectId: number;
  itemId: number;
  classes: { id: number; name: string }[];
  defaultClassId?: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [classId, setClassId] = useState<number | null>(defaultClassId ?? classes[0]?.id ?? null);
  const [kind, setKind] = useState<"example" | "counter_example">("example");
  const [note, setNote] = useState("");
  const add = useMutation(
    trpc.guidelines.addExample.mutationOptions({
      onSuccess: () => {
        setNote("");
        void queryClient.invalidateQueries({ queryKey: trpc.guidelines.get.queryKey({ projectId }) });
      },
    }),
  );
  if (classes.length === 0 || classId === null) return null;
  return (
    <Card title="Add to the guidelines">
      <form
        aria-label="Add to the guidelines"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ projectId, classId, kind, itemId, note });
        }}
      >
        <SelectField label="Class" value={classId} onChange={(e) => setClassId(Number(e.target.value))}>
          {classes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="As" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="example">an example of the class</option>
          <option value="counter_example">a counter-example (looks like it, is not)</option>
        </SelectField>
        <TextField
          label="Note (optional)"
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          placeholder="Why it belongs (or not)"
        />
        {add.error ? <InlineError error={add.error} /> : null}
        {add.data ? (
          <p role="status" className="text-sm text-emerald-700">
            Added: the guidelines are now at revision {add.data.revision}.
          </p>
        ) : null}
        <Button type="submit" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add to guidelines"}
        </Button>
      </form>
    </Card>
  );
}
