/**
 * Benchmark of the active-learning loop (queue → label → retrain → score) at scale: `npm run bench:loop`.
 * Options: --items 1000000 --labeled 100000 --annotators 20 --queue-seconds 30 --think-ms 2000
 * --featurizer glove-sif-200@1 (dense, as every column so far; the hybrid default also reads and n-grams every text)
 * --tag <name> (the run's column in
 * bench/results/loop.md; default "latest"). Uses DATABASE_URL's server when set (a database of its own, dropped
 * afterwards), else an embedded PostgreSQL in a temporary folder.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { loadProject } from "./load-project";
import { createBenchDatabase } from "./bench-database";
import { runQueue, runRetrain } from "./section-annotators";
import { databaseReadFloor, memoryFloor } from "./floors";
import { writeResults, type LoopRun } from "./write-results";
import { chunkSeconds, jobLog, seconds, waitForJob } from "./jobs";
import { load, rssSampler, sleep } from "./stats";
import { benchArg as arg } from "../bench-args";

const options = {
  items: Number(arg("items", "1000000")),
  labeled: Number(arg("labeled", "100000")),
  annotators: Number(arg("annotators", "20")),
  queueSeconds: Number(arg("queue-seconds", "30")),
  thinkMs: Number(arg("think-ms", "2000")),
  featurizer: arg("featurizer", "glove-sif-200@1"),
  tag: arg("tag", "latest"),
};
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const database = await createBenchDatabase(process.env.DATABASE_URL);
// App code (auth, jobs, routers) reads its settings once, lazily: they must point at the bench database first.
process.env.DATABASE_URL = database.url;
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");

const { createDb } = await import("@/server/db");
const { env } = await import("@/env");
const { createUser } = await import("@/server/domain/users/create-user");
const { requestTraining } = await import("@/server/domain/training/request-training");
const { createBoss, startBossWithQueues } = await import("@/server/jobs/boss");
const { startWorker } = await import("@/worker/start-worker");
const { startApiServer, signIn } = await import("../../tests/helpers/api-server");

const run: LoopRun = {
  tag: options.tag,
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${database.server}`,
  options,
  load: { start: load() },
  figures: {},
};
const db = createDb(database.url, { poolSize: 30 });
const server = await startApiServer();
const boss = createBoss(database.url, { worker: false });
await startBossWithQueues(boss, database.url);
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;

try {
  const password = "bench-password-123";
  const admin = await createUser(db, { email: "admin@bench.test", name: "Bench admin", password, role: "admin" }, null);
  log(`loading ${options.items} items (${options.labeled} labeled) into ${database.url.replace(/\/\/.*@/, "//")}`);
  const project = await loadProject(db, database.url, {
    items: options.items,
    labeled: options.labeled,
    fixture: path.resolve("tests/fixtures/ag-news-2000.jsonl"),
    userId: admin.id,
    featurizerId: options.featurizer,
  });
  run.figures.load = {
    ...project.seconds,
    itemsPerSecond: Math.round(options.items / project.seconds.items),
    labeled: project.labeledCount,
    dim: project.dim,
    featurizer: options.featurizer,
  };
  log(`loaded in ${project.seconds.total.toFixed(1)} s`);

  worker = await startWorker({
    db,
    connectionString: database.url,
    concurrency: env().WORKER_CONCURRENCY,
    pollingSeconds: env().JOB_POLL_SECONDS,
    log: () => undefined,
  });

  // v1: a full training on the labeled items through the train job, then the score job ranks the whole pool.
  globalThis.gc?.();
  const since = new Date();
  await requestTraining(db, boss, project.projectId, admin.id);
  const trainRun = await waitForJob(db, "train", project.projectId, since, 3_600_000);
  log(`v1 trained in ${seconds(trainRun)} s`);
  const rss = rssSampler();
  const scoreRun = await waitForJob(db, "score", project.projectId, since, 3_600_000);
  const memory = rss.stop();
  const version = await db.project.findUniqueOrThrow({
    where: { id: project.projectId },
    select: { activeModelVersionId: true },
  });
  const predictions = await db.prediction.count({ where: { modelVersionId: version.activeModelVersionId! } });
  log(`scored ${predictions} items in ${seconds(scoreRun)} s (RSS ${memory.startMB} → peak ${memory.peakMB} MB)`);
  run.figures.firstTrain = { seconds: seconds(trainRun), log: await jobLog(db, trainRun.id) };
  const floorDb = await databaseReadFloor(database.url, project.projectId, project.featurizerId);
  const floorMem = memoryFloor(options.items, project.dim);
  log(`floors: memory ${floorMem.ms.toFixed(0)} ms, database read ${floorDb.ms.toFixed(0)} ms`);
  run.figures.score = {
    seconds: seconds(scoreRun),
    predictions,
    itemsPerSecond: Math.round(predictions / seconds(scoreRun)),
    rssStartMB: memory.startMB,
    rssPeakMB: memory.peakMB,
    memoryFloorMs: Math.round(floorMem.ms),
    memoryFloorGBs: Number(floorMem.gbPerSecond.toFixed(2)),
    databaseReadFloorMs: Math.round(floorDb.ms),
    databaseReadMB: floorDb.mb,
    ratioToMemoryFloor: Math.round((seconds(scoreRun) * 1000) / floorMem.ms),
    ratioToDatabaseReadFloor: Number(((seconds(scoreRun) * 1000) / floorDb.ms).toFixed(1)),
    chunks: await chunkSeconds(db, project.projectId, since),
    workerConcurrency: env().WORKER_CONCURRENCY,
    chunkSize: env().SCORE_CHUNK_SIZE,
  };
  run.load.afterScore = load();

  const annotators = await Promise.all(
    Array.from({ length: options.annotators }, async (_, i) => {
      const user = await createUser(
        db,
        { email: `annotator${i}@bench.test`, name: `Annotator ${i}`, password, role: "annotator" },
        null,
      );
      return (await signIn(server.url, user.email, password)).client;
    }),
  );
  // Annotators made after the project see it only as members (the create form adds every annotator that exists).
  const members = await db.user.findMany({ where: { role: "annotator" }, select: { id: true } });
  await db.projectMember.createMany({ data: members.map((u) => ({ projectId: project.projectId, userId: u.id })) });
  log(`queue: ${options.annotators} annotators for ${options.queueSeconds} s`);
  run.figures.queue = await runQueue(db, annotators, project, options.queueSeconds * 1000);
  log(
    `queue.next p50/p95/p99 ${run.figures.queue.next.p50.toFixed(0)}/${run.figures.queue.next.p95.toFixed(0)}/${run.figures.queue.next.p99.toFixed(0)} ms; ${run.figures.queue.labelsPerSecond.toFixed(0)} labels/s`,
  );
  log(
    `queue, paced: ${options.annotators} annotators reading each item ${options.thinkMs} ms ± 50% for ${options.queueSeconds} s`,
  );
  run.figures.queuePaced = await runQueue(db, annotators, project, options.queueSeconds * 1000, options.thinkMs);
  log(
    `paced queue.next p50/p95/p99 ${run.figures.queuePaced.next.p50.toFixed(0)}/${run.figures.queuePaced.next.p95.toFixed(0)}/${run.figures.queuePaced.next.p99.toFixed(0)} ms; ${run.figures.queuePaced.labelsPerSecond.toFixed(1)} labels/s`,
  );
  log(
    `paced: event loop delay p99 ${run.figures.queuePaced.eventLoopDelay.p99Ms} ms, max ${run.figures.queuePaced.eventLoopDelay.maxMs} ms; queue.next by overlapping job: ${JSON.stringify(run.figures.queuePaced.tail)}`,
  );
  run.load.afterQueue = load();

  // The queue sections labeled a few thousand items since v1: a catch-up training brings the active version up to
  // date, so the measured retrain is what the target names — 50 new labels on top of the active version.
  await sleep(1000);
  const catchUpSince = new Date();
  await requestTraining(db, boss, project.projectId, admin.id);
  const catchUp = await waitForJob(db, "train", project.projectId, catchUpSince, 3_600_000);
  await waitForJob(db, "score", project.projectId, catchUpSince, 3_600_000, 250);
  run.figures.catchUp = { seconds: seconds(catchUp), log: await jobLog(db, catchUp.id) };
  log(`catch-up training (labels from the queue sections) in ${seconds(catchUp)} s`);
  log("retrain: every 50 human labels");
  const retrainSince = new Date();
  run.figures.retrain = await runRetrain(db, annotators, project, 50);
  run.figures.retrain.chunks = await chunkSeconds(db, project.projectId, retrainSince);
  log(`retrain: new active version ${run.figures.retrain.toActiveSeconds.toFixed(2)} s after the 50th label`);
  run.load.end = load();
} finally {
  await worker?.stop().catch(() => undefined);
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  await server.close();
  await db.$disconnect();
  await database.drop();
}
writeResults(run);
log("wrote bench/results/loop.md and bench/results/loop.json");
process.exit(0);
