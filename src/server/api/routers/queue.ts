import { projectProcedure, router } from "@/server/api/trpc";
import { annotatorProgress, annotatorProgressInput } from "@/server/domain/queue/annotator-progress";
import { nextItem, nextItemInput } from "@/server/domain/queue/next-item";

export const queueRouter = router({
  next: projectProcedure()
    .input(nextItemInput)
    .mutation(({ ctx, input }) => nextItem(ctx.db, input, ctx.user.id)),
  progress: projectProcedure()
    .input(annotatorProgressInput)
    .query(({ ctx, input }) => annotatorProgress(ctx.db, input, ctx.user.id)),
});
