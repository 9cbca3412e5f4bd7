import { CliError } from "@/cli/margin/cli-error";
import { classifyError, errorTable, EXIT_USAGE } from "@/server/error-table";
import { redactedMessage } from "@/server/redact-secrets";

/** Commander's own ends: help and the version are answers, every other one of its errors is wrong usage. */
const COMMANDER_ANSWERS = new Set(["commander.helpDisplayed", "commander.help", "commander.version"]);

/**
 * How `margin` ends on an error: its exit code and the line it prints (null: commander printed its own). A CliError
 * carries the exit code the command chose; anything else takes its row of server/error-table.ts. A local user sees an
 * unexpected error's own words (redacted), which a web client never does.
 */
export function cliFailure(error: unknown): { exitCode: number; message: string | null } {
  const commander = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof commander === "string" && commander.startsWith("commander.")) {
    return { exitCode: COMMANDER_ANSWERS.has(commander) ? 0 : EXIT_USAGE, message: null };
  }
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  const { kind, message } = classifyError(error);
  return { exitCode: errorTable[kind].cliExit, message: kind === "INTERNAL" ? redactedMessage(error) : message };
}
