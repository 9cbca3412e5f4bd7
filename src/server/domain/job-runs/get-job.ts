import type { DbOrTx } from "@/server/db";
import { AppError } from "@/server/errors";

export async function getJob(db: DbOrTx, id: string) {
  const job = await db.jobRun.findUnique({
    where: { id },
    include: { logs: { orderBy: { id: "asc" }, take: 500 }, project: { select: { id: true, name: true } } },
  });
  if (!job) throw new AppError("NOT_FOUND", `Job ${id} does not exist`);
  return job;
}
