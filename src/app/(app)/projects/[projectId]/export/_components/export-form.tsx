"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { TextField } from "@/components/ui/field";
import { useProjectClasses } from "../../_components/use-project-classes";

// Mirrors the export route's query parameters (GET /api/projects/{id}/export, see the server's export input).
const formats = [
  { value: "jsonl", label: "Margin JSONL", hint: "id, text, labels, split, origin, labeled_at per line" },
  { value: "hf-jsonl", label: "Hugging Face JSONL", hint: "text + label (labels for multi-label)" },
  { value: "csv", label: "CSV", hint: "id,text,label,split; several labels joined with |" },
  { value: "tsv", label: "TSV", hint: "Like CSV, tab-separated" },
  { value: "lamini", label: "Lamini examples", hint: "One line per class with its examples; labeled items only" },
  { value: "emissary-jsonl", label: "Emissary JSONL", hint: "prompt + completion; labeled items only" },
  {
    value: "emissary-csv",
    label: "Emissary CSV",
    hint: "input,expected_output: 0/1 in binary projects, else a JSON object; labeled items only",
  },
  { value: "text", label: "Plain text", hint: "One text per line, no labels" },
] as const;
const origins = [
  { value: "human", label: "Human labels" },
  { value: "imported", label: "Imported labels" },
  { value: "generated", label: "Generated (LLM) items" },
  { value: "model_accepted", label: "Accepted model predictions" },
] as const;
const splits = ["train", "test", "unassigned"] as const;
const noUnlabeled = new Set(["lamini", "emissary-jsonl", "emissary-csv"]);
const delimited = new Set(["csv", "tsv", "emissary-csv"]);

export function ExportForm({ projectId }: { projectId: number }) {
  const { classes } = useProjectClasses(projectId);
  const [format, setFormat] = useState<(typeof formats)[number]["value"]>("jsonl");
  const [chosenOrigins, setOrigins] = useState<Set<string>>(new Set(origins.map((o) => o.value)));
  const [chosenSplits, setSplits] = useState<Set<string>>(new Set());
  const [classIds, setClassIds] = useState<Set<number>>(new Set());
  const [includeUnlabeled, setIncludeUnlabeled] = useState(false);
  const [labeledFrom, setLabeledFrom] = useState("");
  const [labeledTo, setLabeledTo] = useState("");
  const [minAgreement, setMinAgreement] = useState("");
  const [neutralizeFormulas, setNeutralizeFormulas] = useState(true);

  const params = new URLSearchParams({ format });
  if (chosenOrigins.size < origins.length) params.set("origins", [...chosenOrigins].join(","));
  if (chosenSplits.size) params.set("splits", [...chosenSplits].join(","));
  if (classIds.size) params.set("classIds", [...classIds].join(","));
  if (includeUnlabeled && !noUnlabeled.has(format)) params.set("includeUnlabeled", "true");
  if (labeledFrom) params.set("labeledFrom", new Date(`${labeledFrom}T00:00:00`).toISOString());
  if (labeledTo) params.set("labeledTo", new Date(`${labeledTo}T23:59:59.999`).toISOString());
  if (minAgreement) params.set("minAgreement", String(Number(minAgreement) / 100));
  if (!neutralizeFormulas && delimited.has(format)) params.set("neutralizeFormulas", "false");
  const href = `/api/projects/${projectId}/export?${params}`;
  const problem =
    chosenOrigins.size === 0
      ? "Choose at least one label origin."
      : labeledFrom && labeledTo && labeledFrom > labeledTo
        ? "The date range is empty."
        : null;
  const toggle = <T,>(set: Set<T>, value: T, update: (s: Set<T>) => void) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    update(next);
  };

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <Card title="Format" className="lg:col-span-1">
        <fieldset>
          <legend className="sr-only">Export format</legend>
          <div className="space-y-1">
            {formats.map((f) => (
              <label
                key={f.value}
                className={`flex cursor-pointer items-start gap-3 rounded-md px-3 py-2 ring-1 ring-inset ${format === f.value ? "bg-indigo-50 ring-indigo-300" : "ring-transparent hover:bg-zinc-50"}`}
              >
                <input
                  type="radio"
                  name="format"
                  value={f.value}
                  checked={format === f.value}
                  onChange={() => setFormat(f.value)}
                  className="mt-0.5 h-4 w-4 accent-indigo-600"
                />
                <span className="text-sm">
                  <span className="font-medium text-zinc-900">{f.label}</span>
                  <span className="block text-xs text-zinc-500">{f.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <div className="space-y-6 lg:col-span-2">
        <Card title="Which items">
          <div className="grid gap-6 md:grid-cols-2">
            <fieldset className="space-y-2">
              <legend className="mb-1 text-sm font-medium text-zinc-700">Labels from</legend>
              {origins.map((o) => (
                <Checkbox
                  key={o.value}
                  label={o.label}
                  checked={chosenOrigins.has(o.value)}
                  onChange={() => toggle(chosenOrigins, o.value, setOrigins)}
                />
              ))}
            </fieldset>
            <fieldset className="space-y-2">
              <legend className="mb-1 text-sm font-medium text-zinc-700">Splits</legend>
              {splits.map((s) => (
                <Checkbox
                  key={s}
                  label={<span className="capitalize">{s}</span>}
                  checked={chosenSplits.has(s)}
                  onChange={() => toggle(chosenSplits, s, setSplits)}
                />
              ))}
              <p className="text-xs text-zinc-500">None checked exports every split.</p>
            </fieldset>
            <fieldset className="space-y-2">
              <legend className="mb-1 text-sm font-medium text-zinc-700">Classes</legend>
              {classes.map((c) => (
                <Checkbox
                  key={c.id}
                  label={c.name}
                  checked={classIds.has(c.id)}
                  onChange={() => toggle(classIds, c.id, setClassIds)}
                />
              ))}
              <p className="text-xs text-zinc-500">None checked exports every class.</p>
            </fieldset>
            <div className="space-y-3">
              <TextField
                label="Labeled from"
                type="date"
                value={labeledFrom}
                onChange={(e) => setLabeledFrom(e.target.value)}
              />
              <TextField
                label="Labeled until"
                type="date"
                value={labeledTo}
                onChange={(e) => setLabeledTo(e.target.value)}
              />
              <TextField
                label="Minimum annotator agreement (%)"
                type="number"
                min={0}
                max={100}
                step={5}
                placeholder="Any"
                value={minAgreement}
                onChange={(e) => setMinAgreement(e.target.value)}
                hint="Share of an item’s human labels that agree with its label; items without human labels are left out."
              />
            </div>
          </div>
          <div className="mt-4 border-t border-zinc-100 pt-4">
            <Checkbox
              label="Include unlabeled items"
              hint={
                noUnlabeled.has(format)
                  ? "This format cannot express “no label”: only labeled items are exported."
                  : "They are exported with an empty label."
              }
              checked={includeUnlabeled && !noUnlabeled.has(format)}
              disabled={noUnlabeled.has(format)}
              onChange={(e) => setIncludeUnlabeled(e.target.checked)}
            />
          </div>
          {delimited.has(format) ? (
            <div className="mt-4 border-t border-zinc-100 pt-4">
              <Checkbox
                label="Protect against spreadsheet formulas"
                hint="Cells starting with = + - @, a tab or a carriage return get a leading ' so that Excel or Sheets shows them as text (Margin's import removes it). Turn off for programs that read the file."
                checked={neutralizeFormulas}
                onChange={(e) => setNeutralizeFormulas(e.target.checked)}
              />
            </div>
          ) : null}
        </Card>

        <div className="flex flex-wrap items-center gap-4 rounded-lg bg-white p-4 shadow-xs ring-1 ring-zinc-200">
          {problem ? (
            <span
              className="inline-flex cursor-not-allowed items-center rounded-md bg-indigo-300 px-4 py-2 text-sm font-medium text-white"
              aria-disabled
            >
              Download
            </span>
          ) : (
            <a
              href={href}
              download
              className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500"
            >
              <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
                <path d="M10 3a1 1 0 0 1 1 1v7.59l2.3-2.3a1 1 0 1 1 1.4 1.42l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.42L9 11.6V4a1 1 0 0 1 1-1ZM4 15a1 1 0 0 1 1 1v1h10v-1a1 1 0 1 1 2 0v2a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-2a1 1 0 0 1 1-1Z" />
              </svg>
              Download
            </a>
          )}
          <div className="min-w-0 flex-1 text-xs text-zinc-500">
            {problem ??
              "The file streams as it is written, so large projects start downloading at once. The same URL works with curl and an admin session."}
            {!problem ? <code className="mt-1 block truncate font-mono text-zinc-600">{href}</code> : null}
          </div>
        </div>
      </div>
    </div>
  );
}
