import type { Command } from "commander";

/**
 * The texts of `classify` in the order they were typed. Commander hands positional texts and `--data` values over
 * in two lists, so `classify --data "a cat" "a dog"` (the second text positional) or `classify a --data b c` would
 * be printed in another order than given. This walks the raw arguments with the command's own option table: an
 * option that takes a value consumes it, every other word is a text (`--data`'s values and positional ones
 * alike), `--` ends options. Returns undefined when the walk does not find the same texts commander did (then commander's order
 * is used rather than guessing).
 */
export function textsInArgvOrder(command: Command, args: readonly string[], parsed: string[]): string[] | undefined {
  const takesValue = new Map<string, boolean>();
  for (const option of command.options) {
    for (const flag of [option.long, option.short]) if (flag) takesValue.set(flag, option.required || option.optional);
  }
  const texts: string[] = [];
  let onlyTexts = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyTexts || arg === "-" || !arg.startsWith("-")) {
      texts.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyTexts = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === "--data") {
      if (eq > 0) texts.push(arg.slice(eq + 1));
      continue;
    }
    if (takesValue.get(flag) && eq < 0) i++;
  }
  const sorted = [...parsed].sort();
  const same = texts.length === parsed.length && [...texts].sort().every((t, i) => t === sorted[i]);
  return same ? texts : undefined;
}
