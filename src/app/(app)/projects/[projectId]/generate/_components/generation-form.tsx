"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { useTRPC } from "@/trpc/react";

export function GenerationForm({
  projectId,
  classes,
  onStarted,
}: {
  projectId: number;
  classes: { id: number; name: string }[];
  onStarted: (runId: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState(20);
  const [seed, setSeed] = useState(1);
  const [chosen, setChosen] = useState<number[]>(() => classes.map((c) => c.id));
  const start = useMutation(
    trpc.generation.start.mutationOptions({
      onSuccess: (run) => {
        onStarted(run.id);
        void queryClient.invalidateQueries({ queryKey: trpc.generation.list.pathKey() });
      },
    }),
  );
  return (
    <Card title="New generation run">
      <form
        aria-label="New generation run"
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({
            projectId,
            targetPerClass: target,
            seed,
            classIds: chosen.length === classes.length ? undefined : chosen,
          });
        }}
      >
        <TextField
          label="Examples per class"
          type="number"
          min={1}
          max={5000}
          value={target}
          onChange={(e) => setTarget(Number(e.target.value))}
        />
        <TextField
          label="Seed"
          type="number"
          min={0}
          value={seed}
          onChange={(e) => setSeed(Number(e.target.value))}
          hint="The same seed and model give the same examples (answers are cached)."
        />
        <fieldset className="text-sm">
          <legend className="font-medium text-zinc-700">Classes</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {classes.map((c) => (
              <label key={c.id} className="flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={chosen.includes(c.id)}
                  onChange={(e) =>
                    setChosen((ids) => (e.target.checked ? [...ids, c.id] : ids.filter((id) => id !== c.id)))
                  }
                />
                {c.name}
              </label>
            ))}
          </div>
        </fieldset>
        {start.error ? <InlineError error={start.error} /> : null}
        <Button type="submit" disabled={start.isPending || chosen.length === 0}>
          {start.isPending ? "Starting…" : "Generate"}
        </Button>
      </form>
    </Card>
  );
}
