import { Readable } from "node:stream";
import type { Db } from "@/server/db";
import type { ImportOptions } from "@/server/schemas/import-options";
import { runImport } from "@/server/domain/imports/run-import";
import { pgPool } from "@/server/pg-pool";

/** A file's bytes as the chunked stream an upload or a file read produces (small chunks split lines and characters). */
export function streamOf(content: string | Buffer, chunkSize?: number): AsyncIterable<Uint8Array> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  chunkSize ??= bytes.length > 64 * 1024 ? 64 * 1024 : 7;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export function importText(
  projectId: number,
  content: string | Buffer,
  options: ImportOptions,
  extra: { dryRun?: boolean } = {},
) {
  return runImport(pgPool(), { projectId, userId: null, source: streamOf(content), options, ...extra });
}

/** Items of a project with their labels as class names, in id order. */
export async function itemsWithLabels(db: Db, projectId: number) {
  const classes = new Map((await db.labelClass.findMany({ where: { projectId } })).map((c) => [c.id, c.name]));
  const items = await db.item.findMany({
    where: { projectId },
    orderBy: { id: "asc" },
    include: { annotations: true },
  });
  return items.map((item) => ({
    text: item.text,
    labels: item.labelClassIds.map((id) => classes.get(id)!).sort(),
    status: item.labelStatus,
    origin: item.labelOrigin,
    split: item.split,
    externalId: item.externalId,
    annotations: item.annotations.map((a) => ({
      origin: a.origin,
      labels: a.classIds.map((id) => classes.get(id)!).sort(),
    })),
    labeledAt: item.labeledAt,
  }));
}
