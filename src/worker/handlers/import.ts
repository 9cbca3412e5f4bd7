import type { Prisma } from "@/generated/prisma/client";
import { getUpload, uploadChunks } from "@/server/domain/imports/read-upload";
import { runImport } from "@/server/domain/imports/run-import";
import { queueStatsRefresh } from "@/server/domain/stats/queue-stats-refresh";
import { queueNewItemWork } from "@/server/domain/scoring/queue-new-item-work";
import type { importJob } from "@/server/jobs/job-definitions";
import { pgPool } from "@/server/pg-pool";
import type { JobHandler } from "@/worker/run-job";

export const handleImport: JobHandler<typeof importJob> = async ({ projectId, uploadId, options }, ctx) => {
  const upload = await getUpload(ctx.db, uploadId, projectId);
  // The rows and `importedAt` commit together: a redelivery after a crash between commit and ack finds it here.
  if (upload.importedAt) {
    await ctx.log("Already imported by an earlier attempt");
    // The earlier attempt may have died between the import's commit and queueing the follow-up (embed or score).
    // Both jobs are idempotent, so queueing again when none was queued since the commit loses nothing.
    const report = upload.result as { imported?: { items?: number } } | null;
    const followUp = await ctx.db.jobRun.findFirst({ where: { projectId, type: { in: ["embed", "score"] }, createdAt: { gte: upload.importedAt } }, select: { id: true } });
    if (!followUp && (report?.imported?.items ?? 0) > 0) {
      const next = await queueNewItemWork(ctx.db, ctx.boss, projectId, 0, upload.createdById);
      await ctx.log(`Queued the follow-up the earlier attempt did not: ${next.type === "score" ? "scoring of the new items" : "embedding of the new items"}`);
    }
    // Likewise the statistics; the debounce makes a second request a no-op while one waits.
    if ((report?.imported?.items ?? 0) > 0) await ctx.db.$transaction((tx) => queueStatsRefresh(tx, ctx.boss, projectId));
    return upload.result as Prisma.InputJsonValue;
  }
  // Ids only grow: items this import adds have ids above the largest one now.
  const [{ maxId } = { maxId: 0 }] = await ctx.db.$queryRaw<{ maxId: number }[]>`SELECT coalesce(max(id), 0)::int AS "maxId" FROM item WHERE project_id = ${projectId}`;
  const total = Number(upload.byteSize);
  let bytes = 0;
  await ctx.progress(0, total);
  const report = await runImport(pgPool(), {
    projectId,
    userId: upload.createdById,
    uploadId,
    options,
    source: uploadChunks(ctx.db, uploadId, (n) => (bytes += n)),
    onProgress: async (rows) => {
      await ctx.throwIfCancelled();
      await ctx.progress(bytes, total);
      if (rows % 200_000 === 0) await ctx.log(`${rows.toLocaleString("en")} rows read`);
    },
  });
  if (report.committed) {
    await ctx.log(`Imported ${report.imported.items.toLocaleString("en")} items (${report.imported.labeled.toLocaleString("en")} labeled); ${report.errorCount.toLocaleString("en")} rows skipped`);
    if (report.imported.items > 0) {
      const next = await queueNewItemWork(ctx.db, ctx.boss, projectId, maxId + 1, upload.createdById);
      await ctx.log(next.type === "score" ? "Queued scoring of the new items with the active version" : "Queued embedding of the new items");
      // The Overview's counts are current after an import whether or not anyone has it open.
      await ctx.db.$transaction((tx) => queueStatsRefresh(tx, ctx.boss, projectId));
    }
  } else {
    await ctx.log(`Nothing imported: ${report.rolledBackBecause ?? "no valid rows"}`, "error");
  }
  return report as unknown as Prisma.InputJsonValue;
};
