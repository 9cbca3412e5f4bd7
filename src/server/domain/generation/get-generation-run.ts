import type { DbOrTx } from "@/server/db";
import { countGenerationResults } from "@/server/domain/generation/count-generation-results";
import { AppError } from "@/server/errors";

/** One run with live per-class counts (kept, pending, dropped by reason), usage, cost and its job's recent log. */
export async function getGenerationRun(db: DbOrTx, runId: number) {
  const run = await db.generationRun.findUnique({
    where: { id: runId },
    include: {
      jobRun: { include: { logs: { orderBy: { id: "desc" }, take: 200 } } },
      project: { select: { id: true, name: true, classes: { select: { id: true, name: true } } } },
    },
  });
  if (!run) throw new AppError("NOT_FOUND", `Generation run ${runId} does not exist`);
  const names = new Map(run.project.classes.map((c) => [c.id, c.name]));
  const counts = (await countGenerationResults(db, runId, run.classIds)).map((c) => ({
    ...c,
    className: names.get(c.classId) ?? `#${c.classId}`,
  }));
  return { ...run, counts };
}
