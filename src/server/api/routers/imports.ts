import { adminProcedure, router } from "@/server/api/trpc";
import { previewImportInput, startImportInput } from "@/server/domain/imports/import-input";
import { previewImport } from "@/server/domain/imports/preview-import";
import { startImport } from "@/server/domain/imports/start-import";
import { boss } from "@/server/jobs/boss";
import { pgPool } from "@/server/pg-pool";

export const importsRouter = router({
  preview: adminProcedure
    .input(previewImportInput)
    .mutation(({ ctx, input }) => previewImport(ctx.db, pgPool(), input)),
  start: adminProcedure
    .input(startImportInput)
    .mutation(async ({ ctx, input }) => startImport(ctx.db, await boss(), input, ctx.user.id)),
});
