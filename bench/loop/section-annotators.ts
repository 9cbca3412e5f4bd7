import type { Db } from "@/server/db";
import { contentHash } from "@/server/domain/items/content-hash";
import type { apiClient } from "../../tests/helpers/api-server";
import { jobLog, seconds, waitForJob } from "./jobs";
import type { LoadedProject } from "./load-project";
import { eventLoopWatch, tailAttribution, type TimedCall } from "./queue-tail";
import { sleep, summarize } from "./stats";

type Client = ReturnType<typeof apiClient>;

/** One annotator's step: next → submit (with the fixture's gold class), timing both calls. */
async function step(
  client: Client,
  project: LoadedProject,
  timings: { next: number[]; submit: number[]; calls?: TimedCall[] },
) {
  const at = Date.now();
  const t0 = performance.now();
  const next = await client.queue.next.mutate({ projectId: project.projectId });
  const t1 = performance.now();
  timings.next.push(t1 - t0);
  timings.calls?.push({ at, ms: t1 - t0 });
  if (!next) return null;
  const gold = project.goldByHash.get(contentHash(next.item.text))!;
  const result = await client.labels.submit.mutate({
    projectId: project.projectId,
    itemId: next.item.id,
    action: "label",
    classIds: [project.classIdByName.get(gold)!],
    durationMs: 1000,
  });
  const t2 = performance.now();
  timings.submit.push(t2 - t1);
  return { itemId: next.item.id, reason: next.reason, retrainQueued: result.retrainQueued, at: t2 };
}

/**
 * `annotators.length` annotators over real HTTP, each looping next → submit. With `thinkMs` 0 they go as fast as
 * the server answers (a closed loop at saturation: latency then measures throughput, by Little's law); with
 * `thinkMs` > 0 each reads the item for thinkMs ± 50% (seeded jitter) before asking for the next, as people do, and
 * latency is the service time under that load.
 */
export async function runQueue(db: Db, annotators: Client[], project: LoadedProject, durationMs: number, thinkMs = 0) {
  const timings = { next: [] as number[], submit: [] as number[], calls: [] as TimedCall[] };
  const loop = eventLoopWatch();
  const reasons: Record<string, number> = {};
  const seen = new Set<number>();
  let duplicates = 0;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  await Promise.all(
    annotators.map(async (client, a) => {
      let jitter = 0x9e3779b9 ^ a;
      while (performance.now() < deadline) {
        if (thinkMs > 0) {
          jitter = (Math.imul(jitter, 1103515245) + 12345) >>> 0;
          await sleep(thinkMs * (0.5 + jitter / 0xffffffff));
          if (performance.now() >= deadline) break;
        }
        const done = await step(client, project, timings);
        if (!done) break;
        reasons[done.reason] = (reasons[done.reason] ?? 0) + 1;
        if (seen.has(done.itemId)) duplicates++;
        seen.add(done.itemId);
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const eventLoopDelay = loop.stop();
  return {
    annotators: annotators.length,
    thinkMs,
    seconds: Number(wall.toFixed(1)),
    labels: timings.submit.length,
    labelsPerSecond: timings.submit.length / wall,
    next: summarize(timings.next),
    submit: summarize(timings.submit),
    reasons,
    duplicateAssignments: duplicates,
    eventLoopDelay,
    tail: await tailAttribution(db, project.projectId, timings.calls),
  };
}

/**
 * Auto-retrain every `every` human labels: annotators label until a submit reports the retrain queued (the Nth
 * label), then stop; measured from that label's commit to the project's new active version (the in-process worker
 * picks up the train job), and on to the new version's ranking of the pool.
 */
export async function runRetrain(db: Db, annotators: Client[], project: LoadedProject, every: number) {
  const before = await db.project.findUniqueOrThrow({
    where: { id: project.projectId },
    select: { activeModelVersionId: true },
  });
  const previous = await db.modelVersion.findUniqueOrThrow({
    where: { id: before.activeModelVersionId! },
    select: { trainLabelCount: true },
  });
  await db.project.update({
    where: { id: project.projectId },
    data: { retrainEvery: every, trainQueuedAt: new Date() },
  });
  const since = new Date();
  const timings = { next: [] as number[], submit: [] as number[] };
  let triggeredAt: number | undefined;
  await Promise.all(
    annotators.map(async (client) => {
      while (triggeredAt === undefined) {
        const done = await step(client, project, timings);
        if (!done) break;
        if (done.retrainQueued) triggeredAt ??= done.at;
      }
    }),
  );
  if (triggeredAt === undefined) throw new Error("no submit reported a queued retrain");
  let activeAt: number | undefined;
  let active = before.activeModelVersionId;
  while (active === before.activeModelVersionId) {
    await sleep(20);
    active = (
      await db.project.findUniqueOrThrow({ where: { id: project.projectId }, select: { activeModelVersionId: true } })
    ).activeModelVersionId;
    activeAt = performance.now();
  }
  const trainRun = await waitForJob(db, "train", project.projectId, since, 600_000);
  const queuedToStart = (trainRun.startedAt!.getTime() - trainRun.createdAt.getTime()) / 1000;
  const scoreRun = await waitForJob(db, "score", project.projectId, since, 3_600_000, 250);
  const scoreDoneAt = performance.now();
  const version = await db.modelVersion.findUniqueOrThrow({
    where: { id: active! },
    select: { number: true, trainLabelCount: true, metrics: true, rankedAt: true },
  });
  // The queue serves the new ranking from the moment the version's predictions are attached (ranked_at), which
  // can precede the score job's own end; before the prediction store the two were the same moment.
  const rankedAt = version.rankedAt ? version.rankedAt.getTime() - (Date.now() - performance.now()) : scoreDoneAt;
  const metrics = version.metrics as {
    test?: { macroF1?: number; n?: number } | null;
    crossValidated?: { macroF1?: number } | null;
  } | null;
  return {
    every,
    labelsSubmitted: timings.submit.length,
    toActiveSeconds: (activeAt! - triggeredAt) / 1000,
    trainJobSeconds: seconds(trainRun),
    jobQueuedToStartSeconds: Number(queuedToStart.toFixed(2)),
    toRankedSeconds: (Math.min(rankedAt, scoreDoneAt) - triggeredAt) / 1000,
    toScoreDoneSeconds: (scoreDoneAt - triggeredAt) / 1000,
    scoreJobSeconds: seconds(scoreRun),
    version: version.number,
    trainLabels: version.trainLabelCount,
    newLabels: version.trainLabelCount - previous.trainLabelCount,
    testMacroF1: metrics?.test?.macroF1 ?? null,
    testItems: metrics?.test?.n ?? null,
    crossValidatedMacroF1: metrics?.crossValidated?.macroF1 ?? null,
    trainLog: await jobLog(db, trainRun.id),
  };
}
