import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@/env";
import { CliError } from "@/cli/margin/cli-error";
import { EXIT_FAILED } from "@/server/error-table";
import type { Progress } from "@/cli/margin/progress";
import { createDb, type Db } from "@/server/db";
import { annotationOrigins, exportInput, type ExportFormat } from "@/server/domain/exports/export-input";
import { openExport } from "@/server/domain/exports/open-export";
import { decompressedSample } from "@/server/domain/imports/decompress-source";
import { detectFormat } from "@/server/domain/imports/detect-format";
import { ImportFileError } from "@/server/domain/imports/import-format";
import { importOptions } from "@/server/schemas/import-options";
import { runImport } from "@/server/domain/imports/run-import";
import { getProjectByName } from "@/server/domain/projects/get-project-by-name";
import { databaseUrlFile } from "@/server/local-dirs";
import { createPgPool, type PgPool } from "@/server/pg-pool";

let open: { db: Db; pool: PgPool; where: string } | undefined;

/**
 * The database of `import`/`export`: DATABASE_URL, or else the embedded one of a running `npm start`, whose URL
 * (a new port every start) it writes to `.margin/database-url`.
 */
function database(): { db: Db; pool: PgPool; where: string } {
  if (open) return open;
  let url = env().DATABASE_URL;
  let where = "DATABASE_URL";
  if (!url) {
    const file = databaseUrlFile();
    if (!existsSync(file)) {
      throw new CliError(
        `DATABASE_URL is not set and no embedded database is running (${file} does not exist): start Margin with \`npm start\` in another terminal, or set DATABASE_URL (see .env.example)`,
      );
    }
    url = readFileSync(file, "utf8").trim();
    where = `the embedded database of \`npm start\` (${url}, from ${file})`;
  }
  open = { db: createDb(url, { poolSize: 2 }), pool: createPgPool(url), where };
  return open;
}

/** A refused connection says which database was tried and what to do, instead of a bare ECONNREFUSED. */
async function connected<T>(work: (d: { db: Db; pool: PgPool }) => Promise<T>): Promise<T> {
  const d = database();
  try {
    await d.pool.query("SELECT 1");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      d.where === "DATABASE_URL"
        ? "check DATABASE_URL"
        : "is `npm start` still running? (the file is left behind when it was killed)";
    throw new CliError(`cannot connect to ${d.where}: ${code ?? (error as Error).message}; ${hint}`);
  }
  return work(d);
}

export async function closeDatabase() {
  if (!open) return;
  const { db, pool } = open;
  open = undefined;
  await pool.end().catch(() => undefined);
  await db.$disconnect().catch(() => undefined);
}

/** Counts the bytes that flow through, for progress on a file whose size is known. */
function countingBytes(onBytes: (bytes: number) => void): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      onBytes(bytes);
      done(null, chunk);
    },
  });
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
export async function importCommand(
  file: string,
  options: ImportCommandOptions,
  log: (line: string) => void,
  progress: Progress,
) {
  return connected(({ db, pool }) => importInto(db, pool, file, options, log, progress));
}

async function importInto(
  db: Db,
  pool: PgPool,
  file: string,
  options: ImportCommandOptions,
  log: (line: string) => void,
  progress: Progress,
) {
  const project = await getProjectByName(db, options.project);
  let sample: Buffer;
  try {
    // Decompressed when the file is gzip (the import decompresses it too).
    sample = await decompressedSample(createReadStream(file, { end: 1024 * 1024 - 1 }));
  } catch (error) {
    throw new CliError(
      error instanceof ImportFileError ? error.message : `Cannot read ${file}: ${(error as Error).message}`,
    );
  }
  const detected = detectFormat(sample, file.replace(/\.gz$/i, ""));
  const parsed = importOptions.safeParse({
    format: options.format ?? detected.format,
    delimiter: options.delimiter === "tab" ? "\t" : (options.delimiter ?? detected.delimiter),
    mapping: options.text
      ? {
          text: options.text,
          labels: options.labels,
          labelSeparator: options.labelSeparator,
          id: options.id,
          split: options.split,
        }
      : undefined,
    hasHeader: options.header,
    mode: options.mode,
    createMissingClasses: Boolean(options.createClasses),
    maxTextLength: options.maxTextLength,
  });
  if (!parsed.success)
    throw new CliError(
      parsed.error.issues.map((i) => `--${String(i.path.at(-1) ?? "option")}: ${i.message}`).join("; "),
    );
  const size = (await stat(file)).size;
  const label = `${options.dryRun ? "checking" : "importing"} ${path.basename(file)}`;
  const source = createReadStream(file).pipe(countingBytes((bytes) => progress.update(label, bytes, size, "bytes")));
  const report = await runImport(pool, {
    projectId: project.id,
    userId: null,
    source,
    options: parsed.data,
    dryRun: options.dryRun,
    onPhase: (phase) => {
      if (phase === "stage") progress.phase(`validating ${path.basename(file)} against "${project.name}"`);
      if (phase === "validate" && !options.dryRun) progress.phase(`writing the rows into "${project.name}"`);
    },
  });
  progress.end();
  if (options.json) log(JSON.stringify(report));
  else {
    log(
      `${file}: ${report.format}, ${report.rows.toLocaleString("en")} rows, ${report.validRows.toLocaleString("en")} valid, ${report.errorCount.toLocaleString("en")} with errors`,
    );
    for (const e of report.errors.slice(0, 20))
      log(`  line ${e.line}${e.column ? ` (${e.column})` : ""}: ${e.reason}: ${e.message}`);
    if (report.errorCount > 20) log(`  … ${report.errorCount - 20} more`);
    if (report.createdClasses.length)
      log(`Classes ${report.dryRun ? "to create" : "created"}: ${report.createdClasses.join(", ")}`);
    if (report.committed)
      log(
        `Imported ${report.imported.items.toLocaleString("en")} items into "${project.name}" (${report.imported.labeled.toLocaleString("en")} labeled)`,
      );
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
export async function exportCommand(options: ExportCommandOptions, progress: Progress) {
  return connected(({ db, pool }) => exportFrom(db, pool, options, progress));
}

async function exportFrom(db: Db, pool: PgPool, options: ExportCommandOptions, progress: Progress) {
  const project = await getProjectByName(db, options.project);
  const origins = options.humanOnly
    ? ["human"]
    : annotationOrigins.filter((o) =>
        o === "generated"
          ? options.generated
          : o === "model_accepted"
            ? options.modelAccepted
            : o === "imported"
              ? options.imported
              : true,
      );
  let classIds: number[] | undefined;
  if (options.classes) {
    const names = options.classes
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    classIds = names.map((name) => {
      const found = project.classes.find((c) => c.name === name);
      if (!found)
        throw new CliError(
          `--classes: "${name}" is not a class of "${project.name}" (${project.classes.map((c) => c.name).join(", ")})`,
        );
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
  if (!input.success)
    throw new CliError(
      input.error.issues.map((i) => `${String(i.path.join(".") || "option")}: ${i.message}`).join("; "),
    );
  const { chunks } = await openExport(pool, input.data);
  const out = options.out ? createWriteStream(options.out) : process.stdout;
  const label = `exporting "${project.name}" as ${input.data.format}`;
  try {
    await pipeline(
      Readable.from(chunks),
      countingBytes((bytes) => progress.update(label, bytes, undefined, "bytes")),
      out,
      { end: Boolean(options.out) },
    );
  } catch (error) {
    // `margin export | head`: the reader has all it wanted; stopping is not a failure.
    if (!options.out && (error as NodeJS.ErrnoException).code === "EPIPE") return;
    throw new CliError(`Export failed: ${(error as Error).message}`, EXIT_FAILED);
  } finally {
    progress.end();
  }
}
