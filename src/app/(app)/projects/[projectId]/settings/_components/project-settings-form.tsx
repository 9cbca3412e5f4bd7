"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";

const strategies = [
  { id: "margin", label: "Margin (default): smallest gap between the two likeliest classes" },
  { id: "margin_diversity", label: "Margin + diversity: uncertain items that are not near-copies of each other" },
  { id: "least_confidence", label: "Least confidence: lowest top probability" },
  { id: "entropy", label: "Entropy: most spread-out probabilities" },
  { id: "random", label: "Random: no active learning (a baseline)" },
] as const;

type Form = {
  name: string;
  description: string;
  strategy: (typeof strategies)[number]["id"];
  featurizerId: string;
  retrainEvery: string;
  includeGenerated: boolean;
  testShare: string;
  testMaxItems: string;
  queueMislabeledShare: string;
  queueRandomShare: string;
  leaseMinutes: string;
  annotationOverlap: string;
  sessionGoal: string;
  targetMetric: "" | "precision" | "recall";
  targetPercent: string;
  promotion: "always" | "when_not_worse" | "never";
  minLabelsPerClass: string;
  secondLookMinF1: string;
  testTargetItems: string;
  testBoostShare: string;
};

export function ProjectSettingsForm({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const featurizers = useQuery(trpc.projects.featurizers.queryOptions());
  const [form, setForm] = useState<Form | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
      },
    }),
  );

  useEffect(() => {
    const p = project.data;
    if (!p || form) return;
    setForm({
      name: p.name,
      description: p.description,
      strategy: p.strategy,
      featurizerId: p.featurizerId,
      retrainEvery: String(p.retrainEvery),
      includeGenerated: p.includeGenerated,
      testShare: String(Math.round(p.testShare * 100)),
      testMaxItems: String(p.testMaxItems),
      queueMislabeledShare: String(Math.round(p.queueMislabeledShare * 100)),
      queueRandomShare: String(Math.round(p.queueRandomShare * 100)),
      leaseMinutes: String(Math.round(p.leaseSeconds / 60)),
      annotationOverlap: String(p.annotationOverlap),
      sessionGoal: p.sessionGoal === null ? "" : String(p.sessionGoal),
      targetMetric: p.thresholdMetric ?? "",
      targetPercent: p.thresholdTarget === null ? "90" : String(Math.round(p.thresholdTarget * 1000) / 10),
      promotion: p.promotion,
      minLabelsPerClass: String(p.minLabelsPerClass),
      secondLookMinF1: String(Math.round(p.secondLookMinF1 * 100)),
      testTargetItems: p.testTargetItems === null ? "" : String(p.testTargetItems),
      testBoostShare: String(Math.round(p.testBoostShare * 100)),
    });
  }, [project.data, form]);

  if (project.isPending || !form) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (project.error) return <InlineError error={project.error} />;
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, [key]: value } : f));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({
      projectId,
      data: {
        name: form.name,
        description: form.description,
        strategy: form.strategy,
        featurizerId: form.featurizerId,
        retrainEvery: Number(form.retrainEvery),
        includeGenerated: form.includeGenerated,
        testShare: Number(form.testShare) / 100,
        testMaxItems: Number(form.testMaxItems),
        queueMislabeledShare: Number(form.queueMislabeledShare) / 100,
        queueRandomShare: Number(form.queueRandomShare) / 100,
        leaseSeconds: Math.round(Number(form.leaseMinutes) * 60),
        annotationOverlap: Number(form.annotationOverlap),
        sessionGoal: form.sessionGoal.trim() === "" ? null : Number(form.sessionGoal),
        decisionTarget:
          form.targetMetric === "" ? null : { metric: form.targetMetric, value: Number(form.targetPercent) / 100 },
        promotion: form.promotion,
        minLabelsPerClass: Number(form.minLabelsPerClass),
        secondLookMinF1: Number(form.secondLookMinF1) / 100,
        testTargetItems: form.testTargetItems.trim() === "" ? null : Number(form.testTargetItems),
        testBoostShare: Number(form.testBoostShare) / 100,
      },
    });
  };

  return (
    <Card title="Project settings">
      <form aria-label="Project settings" className="space-y-6" onSubmit={submit}>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="sr-only">General</legend>
          <TextField label="Name" value={form.name} onChange={(e) => set("name", e.target.value)} required />
          <div className="sm:col-span-2">
            <TextAreaField
              label="Description"
              rows={2}
              value={form.description}
              onChange={(e) => set("description", e.target.value)}
            />
          </div>
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold text-zinc-900">Learning</legend>
          <div className="sm:col-span-2">
            <SelectField
              label="Ranking strategy"
              value={form.strategy}
              onChange={(e) => set("strategy", e.target.value as Form["strategy"])}
              hint={
                project.data?.taskType === "multilabel"
                  ? "Multi-label projects rank by the label closest to its decision threshold with any strategy but Random."
                  : undefined
              }
            >
              {strategies.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="sm:col-span-2">
            <SelectField
              label="Featurizer"
              value={form.featurizerId}
              onChange={(e) => set("featurizerId", e.target.value)}
              hint={
                featurizers.data?.find((f) => f.id === form.featurizerId)?.note ??
                "Applies from the next training; existing versions keep theirs."
              }
            >
              {(featurizers.data ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
              {featurizers.data && !featurizers.data.some((f) => f.id === form.featurizerId) ? (
                <option value={form.featurizerId}>{form.featurizerId} (not available here)</option>
              ) : null}
            </SelectField>
          </div>
          <SelectField
            label="Decision thresholds"
            value={form.targetMetric}
            onChange={(e) => set("targetMetric", e.target.value as Form["targetMetric"])}
            hint="With a target, each class gets the threshold that reaches it on cross-validated predictions; below it a prediction is shown as unsure. From the next training on."
          >
            <option value="">
              Default: the likeliest class{project.data?.taskType === "multilabel" ? " (0.5 per label)" : ""}
            </option>
            <option value="precision">Reach a target precision</option>
            <option value="recall">Reach a target recall</option>
          </SelectField>
          <TextField
            label="Target (%)"
            type="number"
            min={50}
            max={99.9}
            step={0.1}
            value={form.targetPercent}
            disabled={form.targetMetric === ""}
            onChange={(e) => set("targetPercent", e.target.value)}
          />
          <TextField
            label="Retrain every N new human labels"
            type="number"
            min={1}
            value={form.retrainEvery}
            onChange={(e) => set("retrainEvery", e.target.value)}
          />
          <TextField
            label="Minimum labels per class"
            type="number"
            min={1}
            value={form.minLabelsPerClass}
            onChange={(e) => set("minLabelsPerClass", e.target.value)}
            hint="Training is refused while a class has fewer labels outside the test split."
          />
          <SelectField
            label="After a retrain"
            value={form.promotion}
            onChange={(e) => set("promotion", e.target.value as Form["promotion"])}
            hint="When not worse: the new version goes live unless its test macro-F1 is below the active version's beyond noise (95% interval of the difference entirely below 0)."
          >
            <option value="when_not_worse">Activate it when not worse (default)</option>
            <option value="always">Always activate it</option>
            <option value="never">Never: an admin promotes versions</option>
          </SelectField>
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-zinc-700">
            <input
              type="checkbox"
              checked={form.includeGenerated}
              onChange={(e) => set("includeGenerated", e.target.checked)}
            />
            Train on LLM-generated examples
          </label>
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-semibold text-zinc-900">Queue</legend>
          <TextField
            label="Second looks (%)"
            type="number"
            min={0}
            max={100}
            value={form.queueMislabeledShare}
            onChange={(e) => set("queueMislabeledShare", e.target.value)}
            hint="Human labels the model strongly disagrees with."
          />
          <TextField
            label="Random items (%)"
            type="number"
            min={0}
            max={100}
            value={form.queueRandomShare}
            onChange={(e) => set("queueRandomShare", e.target.value)}
            hint="Keeps the test set and the strategy honest."
          />
          <TextField
            label="Random items until the test set is full (%)"
            type="number"
            min={0}
            max={100}
            value={form.testBoostShare}
            onChange={(e) => set("testBoostShare", e.target.value)}
            hint="Test items are served first at this rate until the labeled test set reaches its target."
          />
          <TextField
            label="Second looks need model macro-F1 (%)"
            type="number"
            min={0}
            max={100}
            value={form.secondLookMinF1}
            onChange={(e) => set("secondLookMinF1", e.target.value)}
            hint="Cross-validated; below it the model does not second-guess people. Never on the annotator's own labels of this session."
          />
          <TextField
            label="Lease (minutes)"
            type="number"
            min={1}
            value={form.leaseMinutes}
            onChange={(e) => set("leaseMinutes", e.target.value)}
            hint="An item held longer returns to the pool."
          />
          <TextField
            label="Annotators per item"
            type="number"
            min={1}
            max={20}
            value={form.annotationOverlap}
            onChange={(e) => set("annotationOverlap", e.target.value)}
            hint="Above 1, labeled items go to more annotators, blind, until they have this many votes: the majority label counts and agreement is measured."
          />
          <TextField
            label="Session goal (labels)"
            type="number"
            min={1}
            value={form.sessionGoal}
            onChange={(e) => set("sessionGoal", e.target.value)}
            hint="Optional: the Annotate page shows each annotator's labels this session against it. Empty: no goal."
          />
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold text-zinc-900">Test set</legend>
          <TextField
            label="Share of items (%)"
            type="number"
            min={0}
            max={90}
            value={form.testShare}
            onChange={(e) => set("testShare", e.target.value)}
          />
          <TextField
            label="At most (items)"
            type="number"
            min={0}
            value={form.testMaxItems}
            onChange={(e) => set("testMaxItems", e.target.value)}
            hint="Items are drawn into the test split at random when they arrive; labeled ones stay."
          />
          <TextField
            label="Labeled test items wanted"
            type="number"
            min={1}
            value={form.testTargetItems}
            placeholder="auto: max(100, 10 per class)"
            onChange={(e) => set("testTargetItems", e.target.value)}
            hint="Metrics show how far the test set is from this (e.g. test set 18 / 100)."
          />
        </fieldset>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save settings"}
          </Button>
          {saved ? (
            <span className="text-sm text-emerald-700" role="status">
              Saved
            </span>
          ) : null}
          {update.error ? (
            <span className="text-sm text-red-600" role="alert">
              {errorMessage(update.error)}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
