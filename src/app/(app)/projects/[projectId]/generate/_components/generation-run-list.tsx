"use client";

import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";

const stateTone = {
  queued: "neutral",
  running: "indigo",
  completed: "green",
  failed: "red",
  cancelled: "amber",
} as const;

interface RunRow {
  id: number;
  model: string;
  targetPerClass: number;
  classIds: number[];
  createdAt: Date;
  itemCount: number;
  jobRun: { state: keyof typeof stateTone; progress: number } | null;
}

export function GenerationRunList({
  runs,
  selected,
  onSelect,
}: {
  runs: RunRow[];
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  if (!runs.length) return null;
  return (
    <Card title="Runs">
      <ul className="-mx-2 space-y-1" aria-label="Generation runs">
        {runs.map((run) => (
          <li key={run.id}>
            <button
              type="button"
              onClick={() => onSelect(run.id)}
              aria-current={run.id === selected ? "true" : undefined}
              className={`w-full rounded-md px-2 py-2 text-left text-sm ${run.id === selected ? "bg-indigo-50" : "hover:bg-zinc-50"}`}
            >
              <span className="flex items-center gap-2">
                <span className="font-medium">Run #{run.id}</span>
                {run.jobRun ? <Badge tone={stateTone[run.jobRun.state]}>{run.jobRun.state}</Badge> : null}
                <span className="ml-auto text-xs text-zinc-500 tabular-nums">
                  {run.itemCount} / {run.targetPerClass * run.classIds.length}
                </span>
              </span>
              <span className="mt-1.5 block">
                <ProgressBar value={run.jobRun?.progress ?? 0} label={`Run ${run.id} progress`} />
              </span>
              <span className="mt-1 block text-xs text-zinc-500">
                {run.model} · {new Date(run.createdAt).toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
