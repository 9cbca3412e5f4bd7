import { EXIT_USAGE } from "@/server/error-table";

/** A failure the CLI itself words, with its exit code (server/error-table.ts: EXIT_USAGE, EXIT_FAILED). */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "CliError";
  }
}
