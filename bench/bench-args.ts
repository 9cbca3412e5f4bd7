/** The value after `--name` on the benchmark's command line, or `fallback` when the flag or its value is absent. */
export function benchArg(name: string): string | undefined;
export function benchArg(name: string, fallback: string): string;
export function benchArg(name: string, fallback?: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}
