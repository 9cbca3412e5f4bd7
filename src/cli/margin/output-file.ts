import { constants } from "node:fs";
import { access, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { CliError } from "@/cli/margin/cli-error";

/**
 * Makes sure a file can be written before the slow work that produces it starts: creates missing folders and
 * checks that the folder (and the file, when it exists) is writable. Training for minutes and then failing on
 * ENOENT or EACCES loses the work. Returns the absolute path.
 */
export async function prepareOutputFile(file: string, flag: string): Promise<string> {
  const absolute = path.resolve(file);
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory())
    throw new CliError(`${flag} ${file} is a folder; give a file name such as ${path.join(file, "model.json")}`);
  const folder = path.dirname(absolute);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new CliError(
      `${flag} ${file}: cannot create the folder ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    await access(existing ? absolute : folder, constants.W_OK);
  } catch {
    throw new CliError(`${flag} ${file}: ${existing ? "the file" : `the folder ${folder}`} is not writable`);
  }
  return absolute;
}
