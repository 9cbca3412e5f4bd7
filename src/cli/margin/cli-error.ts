/** Exit codes: 0 success, 1 the work failed (bad rows, import rolled back, runtime error), 2 wrong usage or setup. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = "CliError";
  }
}
