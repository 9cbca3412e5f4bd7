import os from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { enableGloveEncodeThreads } from "@/server/compute/glove-encode-threads";
import { cliFailure } from "@/cli/margin/cli-failure";
import { classifyCommand } from "@/cli/margin/classify-command";
import { closeDatabase, exportCommand, importCommand } from "@/cli/margin/database-commands";
import { evalCommand } from "@/cli/margin/eval-command";
import { createProgress } from "@/cli/margin/progress";
import { textsInArgvOrder } from "@/cli/margin/texts-in-argv-order";
import { trainCommand } from "@/cli/margin/train-command";
import { DEFAULT_FEATURIZER_ID } from "@/server/featurizers/create-featurizer";
import { exportFormats } from "@/server/domain/exports/export-input";
import { DEFAULT_MAX_TEXT_LENGTH, importFormats, MAX_TEXT_LENGTH_LIMIT } from "@/server/schemas/import-options";

// `margin`: train and use classifiers offline (Lamini-style), and import/export a Margin project's data.
// Exit codes: 0 success, 1 the work failed (bad rows, import rolled back), 2 wrong usage or setup (cli-failure.ts).
// stdout carries results only (predictions, reports, an export); progress, -v details and warnings go to stderr.

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}
function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647)
    throw new InvalidArgumentError("must be an integer from 0 to 2147483647");
  return n;
}
function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError("must be between 0 and 1");
  return n;
}
function target(value: string): number {
  const n = Number(value);
  if (!(n >= 0.5 && n <= 0.999)) throw new InvalidArgumentError("must be between 0.5 and 0.999");
  return n;
}
function maxTextLength(value: string): number {
  const n = positiveInt(value);
  if (n > MAX_TEXT_LENGTH_LIMIT)
    throw new InvalidArgumentError(`must be at most ${MAX_TEXT_LENGTH_LIMIT.toLocaleString("en")}`);
  return n;
}
const maxTextLengthHelp = `longest accepted text in characters (default ${DEFAULT_MAX_TEXT_LENGTH.toLocaleString("en")})`;
const quietHelp = "no progress on stderr (results, warnings and errors still print)";
const progressFor = (options: { quiet?: boolean }) => createProgress(process.stderr, { quiet: options.quiet });

// train, eval and classify embed their files in batches of thousands: GloVe shares each with helper threads.
enableGloveEncodeThreads(Math.min(4, os.availableParallelism()));

const program = new Command("margin")
  .description(
    "Margin's command line: train/classify/eval offline, import/export project data (DATABASE_URL, or the embedded database of a running `npm start`)",
  )
  .showHelpAfterError()
  .exitOverride();

program
  .command("train")
  .description("Train a classifier from class prompts and examples, offline, with the default featurizer")
  .option("--class <specs...>", 'a class and its prompt, "name: prompt" (several after one flag, or the flag repeated)')
  .option("--train <specs...>", 'training examples, "name: text" (several after one flag, or the flag repeated)')
  .option(
    "--data <files...>",
    "labeled examples: Lamini examples.jsonl, Emissary, CSV/TSV/JSONL with text and label(s)",
  )
  .requiredOption("--save <file>", "where to write the model (JSON); missing folders are created")
  .option(
    "--generate <n>",
    "generate n examples per class with the LLM configured by LLM_BASE_URL/LLM_API_KEY/LLM_CHAT_MODEL",
    positiveInt,
  )
  .option("--seed <n>", "seed of --generate: the same seed asks the LLM the same questions", nonNegativeInt, 1)
  .option(
    "--save-examples <file>",
    "where --generate writes what it made, as Lamini examples.jsonl (default: <model>.examples.jsonl beside --save)",
  )
  .option("--examples <file>", "examples saved by an earlier --generate: train on them without LLM requests")
  .option(
    "--featurizer <id>",
    `featurizer id (default: ${DEFAULT_FEATURIZER_ID}, word & character n-grams beside GloVe; glove-sif-200@1: the vectors alone)`,
  )
  .option(
    "--target-precision <p>",
    "per-class thresholds reaching this cross-validated precision (0.5–0.999); below: unsure",
    target,
  )
  .option("--target-recall <r>", "per-class thresholds reaching this cross-validated recall (0.5–0.999)", target)
  .option("--max-text-length <n>", maxTextLengthHelp, maxTextLength)
  .option("-v, --verbose", "print what is being trained")
  .option("-q, --quiet", quietHelp)
  .action((options) => trainCommand(options, progressFor(options)));

program
  .command("classify")
  .description(
    'Classify texts with a saved model; prints data, prediction (and "unsure" under a threshold) and probabilities per text',
  )
  .argument("[texts...]", "texts to classify")
  .requiredOption("--load <file>", "model saved by `margin train`")
  .option("--data <texts...>", "texts to classify (printed in the order given, with the positional ones)")
  .option("--file <file>", "a file with one text per line")
  .option("--json", "one JSON object per line")
  .option("-q, --quiet", quietHelp)
  .action((texts: string[], options, command: Command) => {
    const given = [...texts, ...((options.data as string[] | undefined) ?? [])];
    const args = process.argv.slice(process.argv.indexOf(command.name()) + 1);
    return classifyCommand(textsInArgvOrder(command, args, given) ?? given, options, out, progressFor(options));
  });

program
  .command("eval")
  .description(
    "Evaluate a saved model on a labeled file: metrics on every text, the unsure share and metrics on the decided ones",
  )
  .requiredOption("--load <file>", "model saved by `margin train`")
  .requiredOption("--data <file>", "labeled file (any import format)")
  .option("--json", "print the full report as JSON")
  .option("--max-text-length <n>", maxTextLengthHelp, maxTextLength)
  .option("-q, --quiet", quietHelp)
  .action((options) => evalCommand(options, out, progressFor(options)));

program
  .command("import")
  .description("Import a file into a project (one transaction)")
  .argument("<file>", "the file to import")
  .requiredOption("--project <name>", "project name")
  .addOption(new Option("--format <format>", "file format (detected when omitted)").choices([...importFormats]))
  .addOption(new Option("--delimiter <d>", "CSV delimiter").choices([",", ";", "|", "tab"]))
  .option("--text <column>", "column or field holding the text (generic formats)")
  .option("--labels <column>", "column or field holding the label(s)")
  .option("--label-separator <sep>", "splits one label cell into several (multi-label)")
  .option("--id <column>", "column or field holding an external id")
  .option("--split <column>", "column or field holding train/test")
  .option("--no-header", "CSV/TSV without a header row (columns are 1, 2, …)")
  .addOption(
    new Option("--mode <mode>", "what to do with bad rows")
      .choices(["all-or-nothing", "valid-rows"])
      .default("all-or-nothing"),
  )
  .option("--create-classes", "create classes the file names but the project lacks")
  .option("--max-text-length <n>", maxTextLengthHelp, maxTextLength)
  .option("--dry-run", "validate and report, write nothing")
  .option("--json", "print the report as JSON")
  .option("-q, --quiet", quietHelp)
  .action((file: string, options) => importCommand(file, options, out, progressFor(options)));

program
  .command("export")
  .description("Export a project's texts and labels (streamed)")
  .requiredOption("--project <name>", "project name")
  .addOption(new Option("--format <format>", "output format").choices([...exportFormats]).default("jsonl"))
  .option("--out <file>", "output file (default: stdout)")
  .option("--human-only", "only labels given by people")
  .option("--no-generated", "leave out labels of LLM-generated items")
  .option("--no-model-accepted", "leave out labels accepted from model predictions")
  .option("--no-imported", "leave out imported labels")
  .option("--splits <list>", "comma-separated: train,test,unassigned")
  .option("--classes <names>", "comma-separated class names: items with any of them")
  .option("--from <date>", "labeled at or after (ISO date)")
  .option("--to <date>", "labeled at or before (ISO date)")
  .option("--min-agreement <x>", "minimum share of human annotations agreeing with the label (0–1)", fraction)
  .option("--include-unlabeled", "also export unlabeled items (formats that can express them)")
  .option(
    "--no-neutralize-formulas",
    "CSV/TSV: write cells starting with = + - @ tab CR as they are (default: a leading ' so spreadsheets do not run them)",
  )
  .option("-q, --quiet", quietHelp)
  .action((options) => exportCommand(options, progressFor(options)));

async function main() {
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    const { exitCode, message } = cliFailure(error);
    if (message !== null) err(`margin: ${message}`);
    return exitCode;
  } finally {
    await closeDatabase();
  }
}

process.exitCode = await main();
