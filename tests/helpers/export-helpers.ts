import type { ExportInput } from "@/server/domain/exports/export-input";
import { openExport } from "@/server/domain/exports/open-export";
import { pgPool } from "@/server/pg-pool";

/** The whole export as one string (tests only: real exports are streamed). */
export async function exportText(input: ExportInput): Promise<string> {
  const { chunks } = await openExport(pgPool(), input);
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}
