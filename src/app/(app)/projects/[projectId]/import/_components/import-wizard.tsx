"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { DataTable, Td, Th } from "@/components/ui/data-table";
import { SelectField } from "@/components/ui/field";
import { FileDrop } from "@/components/ui/file-drop";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { AppRouter } from "@/server/api/root";
import { errorMessage } from "@/trpc/error-message";
import { useTRPC } from "@/trpc/react";

type Preview = inferRouterOutputs<AppRouter>["imports"]["preview"];
type Report = Omit<Preview, "detected">;
type Options = NonNullable<inferRouterInputs<AppRouter>["imports"]["start"]["options"]>;
type Format = Options["format"];
type Mapping = NonNullable<Options["mapping"]>;

const formats: { value: Format; label: string }[] = [
  { value: "csv", label: "CSV (columns mapped below)" },
  { value: "tsv", label: "TSV (columns mapped below)" },
  { value: "jsonl", label: "JSONL (fields mapped below)" },
  { value: "lamini", label: "Lamini examples (class_name + examples)" },
  { value: "emissary-jsonl", label: "Emissary JSONL (prompt + completion)" },
  { value: "emissary-csv", label: "Emissary CSV (input + expected_output)" },
  { value: "text", label: "Plain text, one item per line" },
];
const mapped = new Set<Format>(["csv", "tsv", "jsonl"]);

interface Upload {
  uploadId: string;
  fileName: string;
  byteSize: number;
}

/** Upload → preview (a dry run: every row error shown, nothing written) → options → import job → report. */
export function ImportWizard({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const [upload, setUpload] = useState<Upload | null>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [options, setOptions] = useState<Partial<Options>>({});
  const [jobId, setJobId] = useState<string | null>(null);
  const preview = useMutation(trpc.imports.preview.mutationOptions());
  const start = useMutation(trpc.imports.start.mutationOptions({ onSuccess: (run) => setJobId(run.id) }));

  const runPreview = (u: Upload, next: Partial<Options>) => {
    setOptions(next);
    preview.mutate(
      { projectId, uploadId: u.uploadId, fileName: u.fileName, options: next },
      {
        onSuccess: (result) => {
          // The first preview fixes what was detected and guessed, so the form shows it and later changes build on it.
          if (next.format === undefined)
            setOptions({
              ...next,
              format: result.format,
              delimiter: result.detected.delimiter,
              mapping: result.mapping ?? undefined,
            });
        },
      },
    );
  };

  const onFile = async (file: File) => {
    setUploadError(null);
    setUpload(null);
    setJobId(null);
    preview.reset();
    start.reset();
    setUploading(true);
    try {
      const response = await fetch(
        `/api/projects/${projectId}/imports/upload?fileName=${encodeURIComponent(file.name)}`,
        { method: "POST", body: file },
      );
      const body = (await response.json()) as {
        uploadId?: string;
        byteSize?: number;
        error?: { message?: string };
        message?: string;
      };
      if (!response.ok || !body.uploadId)
        throw new Error(body.error?.message ?? body.message ?? `Upload failed (HTTP ${response.status})`);
      const u = { uploadId: body.uploadId, fileName: file.name, byteSize: Number(body.byteSize ?? file.size) };
      setUpload(u);
      runPreview(u, { mode: "valid-rows" });
    } catch (error) {
      setUploadError(error instanceof Error ? error.message : String(error));
    } finally {
      setUploading(false);
    }
  };

  const report = preview.data;
  const change = (patch: Partial<Options>) => upload && runPreview(upload, { ...options, ...patch });
  const mode = options.mode ?? "valid-rows";
  const nothingToImport = report
    ? report.validRows === 0 || (mode === "all-or-nothing" && report.errorCount > 0)
    : true;

  return (
    <div className="space-y-6">
      <Steps current={jobId ? 3 : report ? 2 : 1} />
      {!jobId ? (
        <Card title="1 · File">
          <FileDrop
            onFile={onFile}
            disabled={uploading}
            compact={Boolean(upload)}
            accept=".csv,.tsv,.jsonl,.json,.txt,.ndjson,.gz"
            hint="CSV, TSV, JSONL, Lamini or Emissary files, or plain text — the format is detected"
          />
          {uploading ? <p className="mt-3 text-sm text-zinc-500">Uploading…</p> : null}
          {upload ? (
            <p className="mt-3 text-sm text-zinc-700">
              <span className="font-medium">{upload.fileName}</span> · {formatBytes(upload.byteSize)}
            </p>
          ) : null}
          {uploadError ? <ErrorText>{uploadError}</ErrorText> : null}
        </Card>
      ) : null}

      {upload && !jobId ? (
        <>
          {preview.error ? <ErrorText>Could not read the file: {errorMessage(preview.error)}</ErrorText> : null}
          {report && notText(report) ? (
            <ErrorText>
              This is not a text file Margin can read:{" "}
              {((report.errorsByReason as Record<string, number>).bad_encoding ?? 0).toLocaleString()} of its{" "}
              {report.rows.toLocaleString()} lines are not valid UTF-8 (a binary file, or text saved in another
              encoding). Save it as UTF-8 CSV, TSV, JSONL or plain text and upload it again.
            </ErrorText>
          ) : null}
          {report ? (
            <div className="grid gap-6 xl:grid-cols-3">
              <Card title="2 · Format and options" className="xl:col-span-1">
                <div className="space-y-4">
                  <p className="text-xs text-zinc-500" aria-label="Detected format">
                    Detected <Badge tone="indigo">{report.detected.format}</Badge> — {report.detected.reason}
                  </p>
                  <SelectField
                    label="Format"
                    value={options.format ?? report.format}
                    onChange={(e) => change({ format: e.target.value as Format, mapping: undefined })}
                  >
                    {formats.map((f) => (
                      <option key={f.value} value={f.value}>
                        {f.label}
                      </option>
                    ))}
                  </SelectField>
                  {mapped.has(options.format ?? report.format) ? (
                    <MappingFields
                      columns={report.columns}
                      mapping={options.mapping ?? report.mapping ?? undefined}
                      onChange={(mapping) => change({ mapping })}
                    />
                  ) : null}
                  <fieldset className="space-y-2">
                    <legend className="text-sm font-medium text-zinc-700">When some rows have errors</legend>
                    <Radio
                      name="mode"
                      checked={mode === "valid-rows"}
                      onChange={() => change({ mode: "valid-rows" })}
                      label="Import the valid rows"
                      hint="Rows with errors are skipped and listed in the report."
                    />
                    <Radio
                      name="mode"
                      checked={mode === "all-or-nothing"}
                      onChange={() => change({ mode: "all-or-nothing" })}
                      label="All or nothing"
                      hint="Any error imports nothing."
                    />
                  </fieldset>
                  <Checkbox
                    label="Create unknown classes"
                    hint={
                      report.unknownClasses.length
                        ? `The file names ${report.unknownClasses.length} class${report.unknownClasses.length === 1 ? "" : "es"} this project does not have.`
                        : "Otherwise labels naming a class the project lacks are row errors."
                    }
                    checked={options.createMissingClasses ?? false}
                    onChange={(e) => change({ createMissingClasses: e.target.checked })}
                  />
                  <div className="border-t border-zinc-100 pt-4">
                    <Button
                      className="w-full"
                      disabled={nothingToImport || start.isPending || preview.isPending}
                      onClick={() =>
                        start.mutate({
                          projectId,
                          uploadId: upload.uploadId,
                          fileName: upload.fileName,
                          options: { ...options, format: options.format ?? report.format, mode },
                        })
                      }
                    >
                      {start.isPending
                        ? "Starting…"
                        : `Import ${report.validRows.toLocaleString()} row${report.validRows === 1 ? "" : "s"}`}
                    </Button>
                    {nothingToImport ? (
                      <p className="mt-2 text-xs text-zinc-500">
                        {report.validRows === 0
                          ? "No valid rows to import."
                          : "All or nothing: fix the errors or import the valid rows."}
                      </p>
                    ) : null}
                    {start.error ? <ErrorText>{errorMessage(start.error)}</ErrorText> : null}
                  </div>
                </div>
              </Card>
              <div className="space-y-6 xl:col-span-2">
                <ReportSummary report={report} busy={preview.isPending} title="Preview — nothing written yet" />
                <SampleTable report={report} />
                <ErrorTable report={report} />
              </div>
            </div>
          ) : preview.isPending ? (
            <p className="text-sm text-zinc-600" role="status">
              Reading the file…
            </p>
          ) : null}
        </>
      ) : null}

      {jobId ? (
        <ImportProgress
          projectId={projectId}
          jobId={jobId}
          onAnother={() => {
            setJobId(null);
            setUpload(null);
            preview.reset();
            start.reset();
          }}
        />
      ) : null}
    </div>
  );
}

function Steps({ current }: { current: number }) {
  const steps = ["Upload", "Preview and options", "Import"];
  return (
    <ol className="flex flex-wrap items-center gap-2 text-sm" aria-label="Import steps">
      {steps.map((step, i) => (
        <li key={step} className="flex items-center gap-2" aria-current={current === i + 1 ? "step" : undefined}>
          <span
            className={`flex h-6 w-6 items-center justify-center rounded-full text-xs font-semibold ${current > i + 1 ? "bg-indigo-600 text-white" : current === i + 1 ? "bg-indigo-100 text-indigo-700 ring-1 ring-indigo-300" : "bg-zinc-100 text-zinc-500"}`}
          >
            {current > i + 1 ? "✓" : i + 1}
          </span>
          <span className={current === i + 1 ? "font-medium text-zinc-900" : "text-zinc-500"}>{step}</span>
          {i < steps.length - 1 ? <span aria-hidden className="mx-1 h-px w-8 bg-zinc-300" /> : null}
        </li>
      ))}
    </ol>
  );
}

function MappingFields({
  columns,
  mapping,
  onChange,
}: {
  columns: string[];
  mapping: Mapping | undefined;
  onChange: (m: Mapping) => void;
}) {
  const set = (key: keyof Mapping, value: string) => {
    const next = { ...(mapping ?? { text: "" }), [key]: value || undefined } as Mapping;
    if (next.text) onChange(next);
  };
  const columnOptions = (optional: boolean) => (
    <>
      {optional ? <option value="">— none —</option> : <option value="">Choose a column…</option>}
      {columns.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </>
  );
  return (
    <fieldset className="space-y-3 rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200">
      <legend className="sr-only">Column mapping</legend>
      <p className="text-xs font-medium text-zinc-600">Column mapping</p>
      <SelectField label="Text" value={mapping?.text ?? ""} onChange={(e) => set("text", e.target.value)}>
        {columnOptions(false)}
      </SelectField>
      <SelectField
        label="Label"
        value={mapping?.labels ?? ""}
        onChange={(e) => set("labels", e.target.value)}
        hint="Leave empty to import unlabeled texts."
      >
        {columnOptions(true)}
      </SelectField>
      <div className="grid grid-cols-2 gap-3">
        <SelectField label="ID" value={mapping?.id ?? ""} onChange={(e) => set("id", e.target.value)}>
          {columnOptions(true)}
        </SelectField>
        <SelectField label="Split" value={mapping?.split ?? ""} onChange={(e) => set("split", e.target.value)}>
          {columnOptions(true)}
        </SelectField>
      </div>
      <SelectField
        label="Several labels per cell"
        value={mapping?.labelSeparator ?? ""}
        onChange={(e) => set("labelSeparator", e.target.value)}
      >
        <option value="">No — one label per row</option>
        <option value="|">Yes, separated by |</option>
        <option value=";">Yes, separated by ;</option>
        <option value=",">Yes, separated by ,</option>
      </SelectField>
    </fieldset>
  );
}

function Radio({
  name,
  checked,
  onChange,
  label,
  hint,
}: {
  name: string;
  checked: boolean;
  onChange: () => void;
  label: string;
  hint: string;
}) {
  return (
    <label className="flex cursor-pointer items-start gap-2 text-sm">
      <input
        type="radio"
        name={name}
        checked={checked}
        onChange={onChange}
        className="mt-0.5 h-4 w-4 accent-indigo-600"
      />
      <span>
        {label}
        <span className="block text-xs text-zinc-500">{hint}</span>
      </span>
    </label>
  );
}

function ReportSummary({ report, busy, title }: { report: Report; busy?: boolean; title: string }) {
  return (
    <Card title={title} actions={busy ? <span className="text-xs text-zinc-500">Updating…</span> : null}>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" aria-label="Import summary">
        <Stat label="Rows read" value={report.rows} />
        <Stat label="Valid rows" value={report.validRows} tone="text-emerald-700" />
        <Stat
          label="Rows with errors"
          value={report.errorCount}
          tone={report.errorCount ? "text-red-700" : undefined}
        />
        {report.committed ? (
          <Stat label="Items imported" value={report.imported.items} />
        ) : (
          <Stat
            label="Unknown classes"
            value={report.unknownClasses.length}
            tone={report.unknownClasses.length ? "text-amber-700" : undefined}
          />
        )}
      </dl>
      {Object.keys(report.errorsByReason).length ? (
        <div className="mt-4 flex flex-wrap gap-1.5">
          {Object.entries(report.errorsByReason).map(([reason, n]) => (
            <Badge key={reason} tone="red">
              {reason.replaceAll("_", " ")}: {n}
            </Badge>
          ))}
        </div>
      ) : null}
      {report.unknownClasses.length ? (
        <p className="mt-3 text-sm text-zinc-600">
          Classes not in the project: {report.unknownClasses.map((c) => `${c.name} (${c.rows})`).join(", ")}
        </p>
      ) : null}
      {report.createdClasses.length ? (
        <p className="mt-3 text-sm text-zinc-600">
          Classes {report.committed ? "created" : "to create"}: {report.createdClasses.join(", ")}
        </p>
      ) : null}
      {report.rolledBackBecause ? <ErrorText>Nothing was imported: {report.rolledBackBecause}</ErrorText> : null}
    </Card>
  );
}

function SampleTable({ report }: { report: Report }) {
  if (!report.sample.length) return null;
  return (
    <section aria-labelledby="sample-title" className="space-y-2">
      <h3 id="sample-title" className="text-sm font-semibold">
        First rows
      </h3>
      <DataTable label="First rows">
        <thead>
          <tr>
            <Th className="w-16">Line</Th>
            <Th>Text</Th>
            <Th className="w-40">Labels</Th>
            <Th className="w-28">ID</Th>
            <Th className="w-20">Split</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {report.sample.map((row) => (
            <tr key={`${row.line}-${row.text.slice(0, 20)}`}>
              <Td className="font-mono text-xs text-zinc-500">{row.line}</Td>
              <Td>
                <span className="line-clamp-2">{row.text}</span>
              </Td>
              <Td className="text-xs">
                {row.labels?.length ? row.labels.join(", ") : <span className="text-zinc-400">unlabeled</span>}
              </Td>
              <Td className="font-mono text-xs text-zinc-500">{row.externalId ?? "—"}</Td>
              <Td className="text-xs">{row.split ?? "—"}</Td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </section>
  );
}

/**
 * Most lines are not UTF-8: the file as a whole is binary (random bytes still make the odd valid line) or text in
 * another encoding, which deserves one sentence rather than a table of per-line errors.
 */
function notText(report: Report) {
  const bad = (report.errorsByReason as Record<string, number>).bad_encoding ?? 0;
  return report.rows > 0 && bad / report.rows >= 0.5;
}

function ErrorTable({ report }: { report: Report }) {
  if (!report.errors.length) return null;
  return (
    <section aria-labelledby="errors-title" className="space-y-2">
      <h3 id="errors-title" className="text-sm font-semibold text-red-800">
        Row errors{" "}
        {report.errorCount > report.errors.length
          ? `(first ${report.errors.length} of ${report.errorCount.toLocaleString()})`
          : `(${report.errorCount})`}
      </h3>
      <DataTable label="Row errors">
        <thead>
          <tr>
            <Th className="w-16">Line</Th>
            <Th className="w-28">Column</Th>
            <Th className="w-36">Problem</Th>
            <Th>Details</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {report.errors.map((error, i) => (
            <tr key={`${error.line}-${i}`}>
              <Td className="font-mono text-xs">{error.line}</Td>
              <Td className="font-mono text-xs text-zinc-600">{error.column ?? "—"}</Td>
              <Td>
                <Badge tone="red">{error.reason.replaceAll("_", " ")}</Badge>
              </Td>
              <Td className="text-sm text-zinc-700">{error.message}</Td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </section>
  );
}

function ImportProgress({ projectId, jobId, onAnother }: { projectId: number; jobId: string; onAnother: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const job = useQuery({
    ...trpc.jobs.get.queryOptions({ jobId }),
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === "completed" || state === "failed" || state === "cancelled" ? false : 1000;
    },
  });
  const j = job.data;
  const finished = j && (j.state === "completed" || j.state === "failed" || j.state === "cancelled");
  const report = j?.state === "completed" ? (j.result as unknown as Report | null) : null;
  useEffect(() => {
    // New items (and maybe new classes): cached items pages, counts and the project's classes are stale.
    if (!finished) return;
    void queryClient.invalidateQueries({ queryKey: trpc.items.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
  }, [finished, projectId, queryClient, trpc]);
  return (
    <div className="space-y-6">
      <Card
        title="3 · Import"
        actions={
          j ? (
            <Badge tone={j.state === "completed" ? "green" : j.state === "failed" ? "red" : "indigo"}>{j.state}</Badge>
          ) : null
        }
      >
        {job.error ? <ErrorText>{errorMessage(job.error)}</ErrorText> : null}
        <div className="space-y-2" aria-live="polite">
          <ProgressBar value={j?.state === "completed" ? 1 : (j?.progress ?? 0)} label="Import progress" />
          <p className="text-sm text-zinc-600">
            {!j || j.state === "queued"
              ? "Waiting for the worker…"
              : j.state === "running"
                ? `Importing… ${Math.round(j.progress * 100)}%`
                : (j.logs.at(-1)?.message ?? j.state)}
          </p>
          {j?.error ? <ErrorText>{j.error}</ErrorText> : null}
        </div>
        {finished ? (
          <div className="mt-4 flex gap-2">
            <Link
              href={`/projects/${projectId}/items`}
              className="inline-flex items-center rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
            >
              View items
            </Link>
            <Button variant="secondary" onClick={onAnother}>
              Import another file
            </Button>
          </div>
        ) : null}
      </Card>
      {report ? (
        <>
          <ReportSummary report={report} title="Import report" />
          <ErrorTable report={report} />
        </>
      ) : null}
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`text-2xl font-semibold tabular-nums ${tone ?? "text-zinc-900"}`}>{value.toLocaleString()}</dd>
    </div>
  );
}

function ErrorText({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="mt-2 text-sm text-red-700">
      {children}
    </p>
  );
}

function formatBytes(n: number) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
