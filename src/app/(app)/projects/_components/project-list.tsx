"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormActions } from "@/components/ui/form-actions";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

const taskLabels = { binary: "Binary", multiclass: "Multi-class", multilabel: "Multi-label" } as const;

export function ProjectList({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const projects = useQuery(trpc.projects.list.queryOptions());
  const [creating, setCreating] = useState(false);

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Projects</h1>
          <p className="text-sm text-zinc-500">
            Each project is one classification task: its classes, its data and its models.
          </p>
        </div>
        {isAdmin && !creating ? <Button onClick={() => setCreating(true)}>New project</Button> : null}
      </div>
      {creating ? <CreateProjectForm onDone={() => setCreating(false)} /> : null}
      {projects.isPending ? <p className="text-sm text-zinc-500">Loading…</p> : null}
      {projects.error ? <InlineError error={projects.error} /> : null}
      {projects.data?.length === 0 ? (
        <EmptyState title="No projects yet">
          {isAdmin ? "Create one to define its classes and import texts." : "Ask an admin to create one."}
        </EmptyState>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {projects.data?.map((project) => (
          <li key={project.id}>
            <Link
              href={`/projects/${project.id}`}
              className="block h-full rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200 transition hover:ring-indigo-300"
            >
              <div className="flex items-start justify-between gap-2">
                <h2 className="font-medium">{project.name}</h2>
                <Badge>{taskLabels[project.taskType]}</Badge>
              </div>
              {project.description ? (
                <p className="mt-1 line-clamp-2 text-sm text-zinc-500">{project.description}</p>
              ) : null}
              <div className="mt-3 flex flex-wrap gap-1.5">
                {project.classes.map((c) => (
                  <span
                    key={c.id}
                    className="inline-flex items-center gap-1 rounded-md bg-zinc-50 px-1.5 py-0.5 text-xs text-zinc-700 ring-1 ring-zinc-200"
                  >
                    <span aria-hidden className="h-2 w-2 rounded-full" style={{ background: c.color }} />
                    {c.name}
                  </span>
                ))}
                {project.classes.length === 0 ? <span className="text-xs text-zinc-400">No classes yet</span> : null}
              </div>
              <p className="mt-3 text-xs text-zinc-500">
                {project.itemCount.toLocaleString()} items · {project.labeledCount.toLocaleString()} labeled
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CreateProjectForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [taskType, setTaskType] = useState<"binary" | "multiclass" | "multilabel">("multiclass");
  const [everyAnnotator, setEveryAnnotator] = useState(true);
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async (project) => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.list.queryKey() });
        onDone();
        router.push(`/projects/${project.id}`);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, description, taskType, annotators: everyAnnotator ? "all" : [] });
  }

  return (
    <Card title="New project">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2" aria-label="New project">
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={120}
          autoFocus
          placeholder="Support tickets"
        />
        <SelectField label="Task" value={taskType} onChange={(e) => setTaskType(e.target.value as typeof taskType)}>
          <option value="binary">Binary — one of two classes</option>
          <option value="multiclass">Multi-class — exactly one class per text</option>
          <option value="multilabel">Multi-label — any number of classes per text</option>
        </SelectField>
        <div className="sm:col-span-2">
          <TextAreaField
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="What is being classified, and why"
          />
        </div>
        <div className="sm:col-span-2">
          <Checkbox
            label="Every current annotator may work on it"
            hint="Otherwise only admins see it until you add annotators under Settings → Members (where later accounts are added too)."
            checked={everyAnnotator}
            onChange={(e) => setEveryAnnotator(e.target.checked)}
          />
        </div>
        {create.error ? <InlineError error={create.error} className="sm:col-span-2" /> : null}
        <FormActions
          submit={create.isPending ? "Creating…" : "Create project"}
          pending={create.isPending}
          onCancel={onDone}
          className="sm:col-span-2"
        />
      </form>
    </Card>
  );
}
