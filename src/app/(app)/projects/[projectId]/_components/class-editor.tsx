"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { FormActions } from "@/components/ui/form-actions";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TextAreaField, TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

interface LabelClass {
  id: number;
  name: string;
  description: string;
  hotkey: string | null;
  color: string;
  position: number;
}

export function ClassEditor({
  projectId,
  taskType,
  classes,
  isAdmin,
}: {
  projectId: number;
  taskType: string;
  classes: LabelClass[];
  isAdmin: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const full = taskType === "binary" && classes.length >= 2;

  return (
    <Card
      title={`Classes (${classes.length})`}
      actions={isAdmin && !adding && !full ? <Button onClick={() => setAdding(true)}>Add class</Button> : null}
    >
      <p className="mb-4 text-sm text-zinc-500">
        Each class has a description — its prompt. Annotators read it as the guideline; with an LLM configured, Margin
        turns it into training examples.
      </p>
      {adding ? <ClassForm projectId={projectId} onDone={() => setAdding(false)} /> : null}
      {classes.length === 0 && !adding ? (
        <EmptyState title="No classes yet">{isAdmin ? "Add the classes texts can belong to." : null}</EmptyState>
      ) : null}
      <ul className="divide-y divide-zinc-100" aria-label="Classes">
        {classes.map((c, index) =>
          editing === c.id ? (
            <li key={c.id} className="py-3">
              <ClassForm projectId={projectId} existing={c} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={c.id} className="flex items-start gap-3 py-3">
              <span aria-hidden className="mt-1 h-3 w-3 shrink-0 rounded-full" style={{ background: c.color }} />
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  <span className="font-medium">{c.name}</span>
                  <kbd
                    className="rounded border border-zinc-300 bg-zinc-50 px-1.5 text-xs text-zinc-600"
                    title="Key in the review queue"
                  >
                    {c.hotkey ?? (index < 9 ? String(index + 1) : "–")}
                  </kbd>
                </div>
                <p className="mt-0.5 text-sm whitespace-pre-line text-zinc-600">
                  {c.description || <span className="text-zinc-400">No description</span>}
                </p>
              </div>
              {isAdmin ? (
                <div className="flex shrink-0 gap-1">
                  <Button variant="ghost" onClick={() => setEditing(c.id)} aria-label={`Edit ${c.name}`}>
                    Edit
                  </Button>
                  <DeleteClassButton id={c.id} name={c.name} projectId={projectId} />
                </div>
              ) : null}
            </li>
          ),
        )}
      </ul>
      {full && isAdmin ? <p className="mt-2 text-xs text-zinc-500">A binary project has exactly two classes.</p> : null}
    </Card>
  );
}

function useInvalidateProject(projectId: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.projects.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.guidelines.get.queryKey({ projectId }) }),
    ]);
}

function ClassForm({ projectId, existing, onDone }: { projectId: number; existing?: LabelClass; onDone: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateProject(projectId);
  const [name, setName] = useState(existing?.name ?? "");
  const [description, setDescription] = useState(existing?.description ?? "");
  const [hotkey, setHotkey] = useState(existing?.hotkey ?? "");
  const [color, setColor] = useState(existing?.color ?? "#6366f1");
  const done = async () => {
    await invalidate();
    onDone();
  };
  const create = useMutation(trpc.classes.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.classes.update.mutationOptions({ onSuccess: done }));
  const error = create.error ?? update.error;
  const pending = create.isPending || update.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    const fields = { name, description, hotkey: hotkey === "" ? null : hotkey };
    if (existing) update.mutate({ id: existing.id, ...fields, color });
    else create.mutate({ projectId, ...fields });
  }

  return (
    <form
      onSubmit={submit}
      className="mb-4 grid gap-3 rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200 sm:grid-cols-6"
      aria-label={existing ? `Edit class ${existing.name}` : "New class"}
    >
      <div className="sm:col-span-3">
        <TextField
          label="Class name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          autoFocus
          placeholder="billing"
        />
      </div>
      <div className="sm:col-span-1">
        <TextField
          label="Hotkey"
          value={hotkey}
          onChange={(e) => setHotkey(e.target.value.slice(-1))}
          maxLength={1}
          placeholder="auto"
          hint="Optional"
        />
      </div>
      <div className="sm:col-span-2">
        {existing ? (
          <TextField
            label="Color"
            type="color"
            value={color}
            onChange={(e) => setColor(e.target.value)}
            className="h-9 p-1"
          />
        ) : null}
      </div>
      <div className="sm:col-span-6">
        <TextAreaField
          label="Description (prompt)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          rows={3}
          maxLength={10_000}
          placeholder="What belongs in this class, in plain words, with the edge cases annotators should know."
        />
      </div>
      {error ? <InlineError error={error} className="sm:col-span-6" /> : null}
      <FormActions
        submit={existing ? "Save class" : "Add class"}
        pending={pending}
        onCancel={onDone}
        className="sm:col-span-6"
      />
    </form>
  );
}

function DeleteClassButton({ id, name, projectId }: { id: number; name: string; projectId: number }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateProject(projectId);
  const remove = useMutation(trpc.classes.delete.mutationOptions({ onSuccess: () => invalidate() }));
  return (
    <Button
      variant="ghost"
      className="text-red-600 hover:bg-red-50 hover:text-red-700"
      aria-label={`Delete ${name}`}
      disabled={remove.isPending}
      onClick={() => {
        if (
          window.confirm(
            `Delete class "${name}"? A class that labels already use is archived instead, keeping its history.`,
          )
        )
          remove.mutate({ id });
      }}
    >
      Delete
    </Button>
  );
}
