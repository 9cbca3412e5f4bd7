import { projectProcedure, router } from "@/server/api/trpc";
import { ensureFreshStats, ensureFreshStatsInput } from "@/server/domain/stats/ensure-fresh-stats";
import { boss } from "@/server/jobs/boss";

export const statsRouter = router({
  /** The Overview calls this while it is open: stale statistics get one (debounced) recompute job. */
  ensureFresh: projectProcedure()
    .input(ensureFreshStatsInput)
    .mutation(async ({ ctx, input }) => ensureFreshStats(ctx.db, await boss(), input)),
});
