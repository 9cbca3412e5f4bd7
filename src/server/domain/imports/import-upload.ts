import type PgBoss from "pg-boss";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/server/db";
import type { ResolvedImportOptions } from "@/server/schemas/import-options";
import { getUpload, uploadChunks } from "@/server/domain/imports/read-upload";
import { runImport } from "@/server/domain/imports/run-import";
import type { JobHooks } from "@/server/domain/job-runs/job-hooks";
import { queueNewItemWork } from "@/server/domain/scoring/queue-new-item-work";
import { queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { pgPool } from "@/server/pg-pool";

/**
 * One delivery of an import job: streams the stored upload through runImport (rows and the upload's `importedAt`
 * commit together), then queues the follow-ups — embedding or scoring of the new items, and the Overview's
 * statistics. A redelivery after that commit imports nothing again and queues a follow-up the crashed attempt may
 * not have (both are idempotent).
 */
export async function importUpload(
  db: Db,
  boss: PgBoss,
  input: { projectId: number; uploadId: string; options: ResolvedImportOptions },
  hooks: JobHooks,
): Promise<Prisma.InputJsonValue> {
  const { projectId, uploadId, options } = input;
  const upload = await getUpload(db, uploadId, projectId);
  // The rows and `importedAt` commit together: a redelivery after a crash between commit and ack finds it here.
  if (upload.importedAt) {
    await hooks.log("Already imported by an earlier attempt");
    // The earlier attempt may have died between the import's commit and queueing the follow-up (embed or score).
    // Both jobs are idempotent, so queueing again when none was queued since the commit loses nothing.
    const report = upload.result as { imported?: { items?: number } } | null;
    const followUp = await db.jobRun.findFirst({
      where: { projectId, type: { in: ["embed", "score"] }, createdAt: { gte: upload.importedAt } },
      select: { id: true },
    });
    if (!followUp && (report?.imported?.items ?? 0) > 0) {
      const next = await queueNewItemWork(db, boss, projectId, 0, upload.createdById);
      await hooks.log(
        `Queued the follow-up the earlier attempt did not: ${next.type === "score" ? "scoring of the new items" : "embedding of the new items"}`,
      );
    }
    // Likewise the statistics; the debounce makes a second request a no-op while one waits.
    if ((report?.imported?.items ?? 0) > 0) await db.$transaction((tx) => queueStatsRefresh(tx, boss, projectId));
    return upload.result as Prisma.InputJsonValue;
  }
  // Ids only grow: items this import adds have ids above the largest one now.
  const [{ maxId } = { maxId: 0 }] = await db.$queryRaw<
    { maxId: number }[]
  >`SELECT coalesce(max(id), 0)::int AS "maxId" FROM item WHERE project_id = ${projectId}`;
  const total = Number(upload.byteSize);
  let bytes = 0;
  await hooks.progress(0, total);
  const report = await runImport(pgPool(), {
    projectId,
    userId: upload.createdById,
    uploadId,
    options,
    source: uploadChunks(db, uploadId, (n) => (bytes += n)),
    onProgress: async (rows) => {
      await hooks.throwIfCancelled();
      await hooks.progress(bytes, total);
      if (rows % 200_000 === 0) await hooks.log(`${rows.toLocaleString("en")} rows read`);
    },
  });
  if (report.committed) {
    await hooks.log(
      `Imported ${report.imported.items.toLocaleString("en")} items (${report.imported.labeled.toLocaleString("en")} labeled); ${report.errorCount.toLocaleString("en")} rows skipped`,
    );
    if (report.imported.items > 0) {
      const next = await queueNewItemWork(db, boss, projectId, maxId + 1, upload.createdById);
      await hooks.log(
        next.type === "score"
          ? "Queued scoring of the new items with the active version"
          : "Queued embedding of the new items",
      );
      // The Overview's counts are current after an import whether or not anyone has it open.
      await db.$transaction((tx) => queueStatsRefresh(tx, boss, projectId));
    }
  } else {
    await hooks.log(`Nothing imported: ${report.rolledBackBecause ?? "no valid rows"}`, "error");
  }
  return report as unknown as Prisma.InputJsonValue;
}
