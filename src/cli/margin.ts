import { Command, InvalidArgumentError, Option } from "commander";
import { CliError, EXIT_FAILED, EXIT_USAGE } from "@/cli/margin/cli-error";
import { classifyCommand } from "@/cli/margin/classify-command";
import { closeDatabase, exportCommand, importCommand } from "@/cli/margin/database-commands";
import { evalCommand } from "@/cli/margin/eval-command";
import { trainCommand } from "@/cli/margin/train-command";
import { exportFormats } from "@/server/domain/exports/export-input";
import { importFormats } from "@/server/domain/imports/import-format";
import { AppError } from "@/server/errors";
import { FeaturizerError } from "@/server/featurizers/featurizer";

// `margin`: train and use classifiers offline (Lamini-style), and import/export a Margin project's data.
// Exit codes: 0 success, 1 the work failed (bad rows, import rolled back), 2 wrong usage or setup.

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}
function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2_147_483_647) throw new InvalidArgumentError("must be an integer from 0 to 2147483647");
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
const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command("margin")
  .description("Margin's command line: train/classify/eval offline, import/export project data (DATABASE_URL)")
  .showHelpAfterError()
  .exitOverride();

program
  .command("train")
  .description("Train a classifier from class prompts and examples, offline, with the default featurizer")
  .option("--class <spec>", 'a class and its prompt, "name: prompt" (repeatable)', collect)
  .option("--train <spec>", 'one training example, "name: text" (repeatable)', collect)
  .option("--data <file>", "labeled examples: Lamini examples.jsonl, Emissary, CSV/TSV/JSONL with text and label(s) (repeatable)", collect)
  .requiredOption("--save <file>", "where to write the model (JSON)")
  .option("--generate <n>", "generate n examples per class with the LLM configured by LLM_BASE_URL/LLM_API_KEY/LLM_CHAT_MODEL", positiveInt)
  .option("--seed <n>", "seed of --generate: the same seed asks the LLM the same questions", nonNegativeInt, 1)
  .option("--featurizer <id>", "featurizer id (default: glove-sif-200@1; ngrams@1+glove-sif-200@1 adds word & character n-grams)")
  .option("--target-precision <p>", "per-class thresholds reaching this cross-validated precision (0.5–0.999); below: unsure", target)
  .option("--target-recall <r>", "per-class thresholds reaching this cross-validated recall (0.5–0.999)", target)
  .option("-v, --verbose", "print what is being trained")
  .action((options) => trainCommand(options, err));

program
  .command("classify")
  .description("Classify texts with a saved model; prints data, prediction and probabilities per text")
  .argument("[texts...]", "texts to classify")
  .requiredOption("--load <file>", "model saved by `margin train`")
  .option("--data <text>", "a text to classify (repeatable)", collect)
  .option("--file <file>", "a file with one text per line")
  .option("--json", "one JSON object per line")
  .action((texts: string[], options) => classifyCommand(texts, options, out));

program
  .command("eval")
  .description("Evaluate a saved model on a labeled file and print a metrics table")
  .requiredOption("--load <file>", "model saved by `margin train`")
  .requiredOption("--data <file>", "labeled file (any import format)")
  .option("--json", "print the full report as JSON")
  .action((options) => evalCommand(options, out));

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
  .addOption(new Option("--mode <mode>", "what to do with bad rows").choices(["all-or-nothing", "valid-rows"]).default("all-or-nothing"))
  .option("--create-classes", "create classes the file names but the project lacks")
  .option("--max-text-length <n>", "longest accepted text in characters", positiveInt)
  .option("--dry-run", "validate and report, write nothing")
  .option("--json", "print the report as JSON")
  .action((file: string, options) => importCommand(file, options, out));

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
  .option("--no-neutralize-formulas", "CSV/TSV: write cells starting with = + - @ tab CR as they are (default: a leading ' so spreadsheets do not run them)")
  .action((options) => exportCommand(options));

async function main() {
  try {
    await program.parseAsync(process.argv);
    return 0;
  } catch (error) {
    const e = error as { code?: string; exitCode?: number };
    if (typeof e.code === "string" && e.code.startsWith("commander.")) {
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      err(`margin: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof AppError) {
      err(`margin: ${error.message}`);
      return error.code === "INVALID_INPUT" || error.code === "NOT_FOUND" ? EXIT_USAGE : EXIT_FAILED;
    }
    if (error instanceof FeaturizerError) {
      err(`margin: featurizer: ${error.message}`);
      return EXIT_USAGE;
    }
    err(`margin: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  } finally {
    await closeDatabase();
  }
}

process.exitCode = await main();
