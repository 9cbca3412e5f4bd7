import { createReadStream, createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@/env";
import { CliError, EXIT_FAILED } from "@/cli/margin/cli-error";
import { db } from "@/server/db";
import { annotationOrigins, exportInput, type ExportFormat } from "@/server/domain/exports/export-input";
import { openExport } from "@/server/domain/exports/open-export";
import { decompressedSample } from "@/server/domain/imports/decompress-source";
import { detectFormat } from "@/server/domain/imports/detect-format";
import { ImportFileError, importOptions } from "@/server/domain/imports/import-format";
import { runImport } from "@/server/domain/imports/run-import";
import { getProjectByName } from "@/server/domain/projects/get-project-by-name";
import { pgPool } from "@/server/pg-pool";

function requireDatabase() {
  if (!env().DATABASE_URL) throw new CliError("DATABASE_URL is not set: point it at Margin's PostgreSQL (see .env.example)");
}

export async function closeDatabase() {
  const g = globalThis as { marginDb?: unknown; marginPgPool?: unknown };
  if (g.marginPgPool) await pgPool().end();
  if (g.marginDb) await db().$disconnect();
}

export interface ImportCommandOptions {
  project: string;
  format?: string;
  delimiter?: string;
  text?: string;
  labels?: string;
  labelSeparator?: string;
  id?: string;
  split?: string;
  header: boolean;
  mode: string;
  createClasses?: boolean;
  dryRun?: boolean;
  maxTextLength?: number;
  json?: boolean;
}

/** `margin import`: the same one-transaction import as the web wizard, streamed from a file. */
export async function importCommand(file: string, options: ImportCommandOptions, log: (line: string) => void) {
  requireDatabase();
  const project = await getProjectByName(db(), options.project);
  let sample: Buffer;
  try {
    // Decompressed when the file is gzip (the import decompresses it too).
    sample = await decompressedSample(createReadStream(file, { end: 1024 * 1024 - 1 }));
  } catch (error) {
    throw new CliError(error instanceof ImportFileError ? error.message : `Cannot read ${file}: ${(error as Error).message}`);
  }
  const detected = detectFormat(sample, file.replace(/\.gz$/i, ""));
  const parsed = importOptions.safeParse({
    format: options.format ?? detected.format,
    delimiter: options.delimiter === "tab" ? "\t" : (options.delimiter ?? detected.delimiter),
    mapping: options.text ? { text: options.text, labels: options.labels, labelSeparator: options.labelSeparator, id: options.id, split: options.split } : undefined,
    hasHeader: options.header,
    mode: options.mode,
    createMissingClasses: Boolean(options.createClasses),
    maxTextLength: options.maxTextLength,
  });
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `--${String(i.path.at(-1) ?? "option")}: ${i.message}`).join("; "));
  const report = await runImport(pgPool(), { projectId: project.id, userId: null, source: createReadStream(file), options: parsed.data, dryRun: options.dryRun });
  if (options.json) log(JSON.stringify(report));
  else {
    log(`${file}: ${report.format}, ${report.rows.toLocaleString("en")} rows, ${report.validRows.toLocaleString("en")} valid, ${report.errorCount.toLocaleString("en")} with errors`);
    for (const e of report.errors.slice(0, 20)) log(`  line ${e.line}${e.column ? ` (${e.column})` : ""}: ${e.reason}: ${e.message}`);
    if (report.errorCount > 20) log(`  … ${report.errorCount - 20} more`);
    if (report.createdClasses.length) log(`Classes ${report.dryRun ? "to create" : "created"}: ${report.createdClasses.join(", ")}`);
    if (report.committed) log(`Imported ${report.imported.items.toLocaleString("en")} items into "${project.name}" (${report.imported.labeled.toLocaleString("en")} labeled)`);
    else if (report.dryRun) log("Dry run: nothing was written");
    else log(`Nothing imported: ${report.rolledBackBecause}`);
  }
  const ok = report.committed || (report.dryRun && report.errorCount === 0);
  if (!ok) throw new CliError(report.dryRun ? "The file has errors" : "Import failed", EXIT_FAILED);
}

export interface ExportCommandOptions {
  project: string;
  format: string;
  out?: string;
  humanOnly?: boolean;
  generated: boolean;
  modelAccepted: boolean;
  imported: boolean;
  splits?: string;
  classes?: string;
  from?: string;
  to?: string;
  minAgreement?: number;
  includeUnlabeled?: boolean;
  /** `--no-neutralize-formulas`: CSV/TSV cells as they are, without the leading ' against spreadsheet formulas. */
  neutralizeFormulas?: boolean;
}

/** `margin export`: streams the export to a file or stdout with constant memory. */
export async function exportCommand(options: ExportCommandOptions) {
  requireDatabase();
  const project = await getProjectByName(db(), options.project);
  const origins = options.humanOnly
    ? ["human"]
    : annotationOrigins.filter((o) => (o === "generated" ? options.generated : o === "model_accepted" ? options.modelAccepted : o === "imported" ? options.imported : true));
  let classIds: number[] | undefined;
  if (options.classes) {
    const names = options.classes.split(",").map((c) => c.trim()).filter(Boolean);
    classIds = names.map((name) => {
      const found = project.classes.find((c) => c.name === name);
      if (!found) throw new CliError(`--classes: "${name}" is not a class of "${project.name}" (${project.classes.map((c) => c.name).join(", ")})`);
      return found.id;
    });
  }
  const input = exportInput.safeParse({
    projectId: project.id,
    format: options.format as ExportFormat,
    origins,
    includeUnlabeled: Boolean(options.includeUnlabeled),
    splits: options.splits?.split(",").map((s) => s.trim()),
    classIds,
    labeledFrom: options.from,
    labeledTo: options.to,
    minAgreement: options.minAgreement,
    neutralizeFormulas: options.neutralizeFormulas !== false,
  });
  if (!input.success) throw new CliError(input.error.issues.map((i) => `${String(i.path.join(".") || "option")}: ${i.message}`).join("; "));
  const { chunks } = await openExport(pgPool(), input.data);
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  try {
    await pipeline(Readable.from(chunks), out, { end: Boolean(options.out) });
  } catch (error) {
    throw new CliError(`Export failed: ${(error as Error).message}`, EXIT_FAILED);
  }
}
