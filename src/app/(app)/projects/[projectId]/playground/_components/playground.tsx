"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextAreaField } from "@/components/ui/field";
import { InlineError } from "@/components/ui/inline-error";
import { ProbabilityBar } from "@/components/ui/probability-bar";
import { useTRPC } from "@/trpc/react";
import { percent } from "../../_components/format-metric";

// Mirrors the server's limit (domain/classify/classify-texts); the server still enforces it.
const MAX_TEXTS = 100;

export function Playground({ projectId, isAdmin }: { projectId: number; isAdmin: boolean }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const versions = useQuery(trpc.models.list.queryOptions({ projectId }));
  const [text, setText] = useState("");
  const [versionId, setVersionId] = useState<number | null>(null);
  const classify = useMutation(trpc.models.classify.mutationOptions());
  // The first prediction with a version loads its classifier and featurizer on the server (seconds for sentence
  // encoders); one throwaway text on arrival does that while the person is still typing.
  const warmUp = useMutation(trpc.models.classify.mutationOptions());
  const warmed = useRef(new Set<number>());

  const allReady = versions.data?.filter((v) => v.status === "ready") ?? [];
  // A zero-shot version asks the LLM for every text: spending that budget is for admins (the server refuses others).
  const ready = isAdmin ? allReady : allReady.filter((v) => v.kind !== "llm_zero_shot");
  const hiddenZeroShot = allReady.length - ready.length;
  const active = ready.find((v) => v.active);
  // Without a usable active version the choice starts at the newest usable one.
  const selectedId = versionId ?? (active ? null : (ready[0]?.id ?? null));
  const texts = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const tooMany = texts.length > MAX_TEXTS;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (texts.length === 0 || tooMany) return;
    classify.mutate({ projectId, texts, ...(selectedId ? { modelVersionId: selectedId } : {}) });
  };
  const colorOf = new Map(project.data?.classes.map((c) => [c.name, c.color]) ?? []);
  const classOrder = project.data?.classes.map((c) => c.name) ?? [];
  const chosen = ready.find((v) => (selectedId ? v.id === selectedId : v.active));
  // Zero-shot LLM versions are not warmed: each call costs tokens, and there is nothing local to load.
  const warmable = chosen && chosen.kind !== "llm_zero_shot" ? chosen.id : null;
  const { mutate: warm } = warmUp;
  useEffect(() => {
    if (warmable === null || warmed.current.has(warmable)) return;
    warmed.current.add(warmable);
    warm({ projectId, texts: ["warm-up"], modelVersionId: warmable });
  }, [warmable, warm, projectId]);

  if (versions.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (versions.error) return <InlineError error={versions.error} />;
  if (ready.length === 0)
    return (
      <EmptyState title="No model to try yet">
        {hiddenZeroShot
          ? "Only zero-shot LLM versions exist, and each text they classify costs LLM calls, which only admins may spend. "
          : ""}
        Label 20 items in{" "}
        <Link href={`/projects/${projectId}/annotate`} className="font-medium text-indigo-700 hover:underline">
          Annotate
        </Link>{" "}
        or press Train now on the{" "}
        <Link href={`/projects/${projectId}/models`} className="font-medium text-indigo-700 hover:underline">
          Models
        </Link>{" "}
        tab.
      </EmptyState>
    );

  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-lg font-semibold tracking-tight">Playground</h2>
        <p className="text-sm text-zinc-600">Try a version on your own texts. Nothing is saved.</p>
      </div>
      <Card>
        <form onSubmit={submit} aria-label="Classify texts" className="grid gap-4 lg:grid-cols-[1fr_16rem]">
          <TextAreaField
            label="Texts, one per line"
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={
              "Shares fell after the bank cut its profit forecast\nThe striker scored twice as the home team won the cup final"
            }
            hint={`${texts.length} ${texts.length === 1 ? "text" : "texts"} · at most ${MAX_TEXTS}`}
            error={tooMany ? `At most ${MAX_TEXTS} texts per run: remove ${texts.length - MAX_TEXTS} lines` : undefined}
          />
          <div className="flex flex-col gap-4">
            <SelectField
              label="Version"
              value={selectedId ?? ""}
              onChange={(e) => setVersionId(e.target.value ? Number(e.target.value) : null)}
              hint={hiddenZeroShot ? "Zero-shot LLM versions are for admins: each text costs LLM calls." : undefined}
            >
              {active ? <option value="">Active (v{active.number})</option> : null}
              {ready.map((v) => (
                <option key={v.id} value={v.id}>
                  v{v.number} · {v.kind === "llm_zero_shot" ? "zero-shot LLM · " : ""}F1 {percent(v.testMacroF1)}
                  {v.active ? " · active" : ""}
                </option>
              ))}
            </SelectField>
            <Button type="submit" disabled={texts.length === 0 || tooMany || classify.isPending} className="lg:mt-auto">
              {classify.isPending ? "Classifying…" : "Classify"}
            </Button>
          </div>
        </form>
        {classify.isPending ? (
          <div role="status" className="mt-3 space-y-1.5">
            <p className="text-xs text-zinc-600">
              Classifying {classify.variables?.texts.length ?? texts.length}{" "}
              {(classify.variables?.texts.length ?? texts.length) === 1 ? "text" : "texts"}
              {chosen ? ` with v${chosen.number}` : ""}
              {warmUp.isPending ? " (loading the model first)" : ""}…
            </p>
            <div className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-100" aria-hidden>
              <div className="h-full w-1/3 animate-pulse rounded-full bg-indigo-500" />
            </div>
          </div>
        ) : chosen ? (
          <p className="mt-3 text-xs text-zinc-600" aria-live="polite">
            {warmable === null
              ? `v${chosen.number} asks the LLM for each text.`
              : warmUp.isPending
                ? `Loading v${chosen.number} into memory…`
                : `v${chosen.number} is loaded.`}
          </p>
        ) : null}
        {classify.error ? <InlineError error={classify.error} className="mt-3" /> : null}
      </Card>

      {classify.data ? (
        <Card title={`Results · v${classify.data.model.version}`}>
          <div className="-m-4 overflow-x-auto" tabIndex={0} role="region" aria-label="Results, scrolls sideways">
            <table className="w-full text-sm">
              <caption className="sr-only">Predicted class and per-class probabilities for each text</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50/60">
                <tr>
                  <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                    Text
                  </th>
                  <th scope="col" className="px-4 py-2 text-left text-xs font-medium text-zinc-500">
                    Prediction
                  </th>
                  <th scope="col" className="w-96 px-4 py-2 text-left text-xs font-medium text-zinc-500">
                    Probabilities
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {classify.data.predictions.map((r, i) => {
                  // The HTTP API's shape: one class name (single-label) or a list of them (multi-label).
                  const predicted = typeof r.prediction === "string" ? [r.prediction] : r.prediction;
                  const names = [
                    ...classOrder.filter((n) => n in r.probabilities),
                    ...Object.keys(r.probabilities).filter((n) => !classOrder.includes(n)),
                  ];
                  return (
                    <tr key={i} className="align-top">
                      <td className="max-w-xl px-4 py-3 text-zinc-800">{classify.variables?.texts[i]}</td>
                      <td className="px-4 py-3 whitespace-nowrap">
                        <div className="flex flex-wrap items-center gap-1.5">
                          {predicted.length ? (
                            predicted.map((name) => (
                              <span
                                key={name}
                                className="inline-flex items-center gap-1.5 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-semibold text-zinc-900"
                              >
                                <span
                                  className="size-2 rounded-full"
                                  style={{ backgroundColor: colorOf.get(name) ?? "#6366f1" }}
                                  aria-hidden
                                />
                                {name}
                              </span>
                            ))
                          ) : (
                            <span className="text-xs text-zinc-500">no label</span>
                          )}
                          {r.unsure ? <Badge tone="amber">unsure</Badge> : null}
                        </div>
                      </td>
                      <td className="px-4 py-3">
                        <dl className="space-y-1">
                          {names.map((name) => (
                            <div key={name} className="grid grid-cols-[6rem_1fr] items-center gap-2">
                              <dt className="truncate text-xs text-zinc-600" title={name}>
                                {name}
                              </dt>
                              <dd>
                                <ProbabilityBar
                                  value={r.probabilities[name] ?? 0}
                                  emphasis={predicted.includes(name)}
                                  color={colorOf.get(name)}
                                />
                              </dd>
                            </div>
                          ))}
                        </dl>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
