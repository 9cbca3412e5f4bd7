import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestTraining } from "@/server/domain/training/request-training";
import { makeUser, readJsonl } from "../helpers/factories";
import { labeledProject } from "../helpers/labeled-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// Two worker processes share a chunked score job; one is SIGKILLed while it scores a chunk. The other retries that
// chunk once its heartbeat is stale — pg-boss's expiry (an hour) plays no part — and the job finishes with every
// item scored once, every chunk completed once and the parent completed once.
const root = path.resolve(import.meta.dirname, "../..");
const fixture = await readJsonl<{ text: string; label: string }>(path.join(root, "tests/fixtures/ag-news-2000.jsonl"));
// 20,000 distinct texts, so that a chunk takes long enough to be killed in the middle.
const rows = Array.from({ length: 10 }, (_, copy) =>
  fixture.map((r) => ({ ...r, text: copy === 0 ? r.text : `${r.text} (${copy})` })),
).flat();
const liveness = { JOB_HEARTBEAT_SECONDS: "0.5", JOB_STALE_SECONDS: "3", JOB_SWEEP_SECONDS: "1" };

let testDb: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await testDb.drop();
});

function startWorkerProcess() {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/worker/main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      ...liveness,
      DATABASE_URL: testDb.url,
      JOB_POLL_SECONDS: "0.5",
      WORKER_CONCURRENCY: "1",
      SCORE_CHUNK_SIZE: "2500",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!])
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean)));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { child, output, exited, alive: () => child.exitCode === null && child.signalCode === null };
}

const messages = (jobRunId: string) =>
  testDb.db.jobLog.findMany({ where: { jobRunId }, orderBy: { id: "asc" } }).then((logs) => logs.map((l) => l.message));

describe("two workers, one killed mid-job", () => {
  it(
    "finishes a shared chunked score job within the heartbeat bound, each chunk and the parent run once",
    { timeout: 900_000 },
    async () => {
      const admin = await makeUser(testDb.db, "admin");
      const project = await labeledProject(testDb.db, rows, 400);
      const [a, b] = [startWorkerProcess(), startWorkerProcess()];
      try {
        // Two tsx processes start next to the other test files on 2 cores: once CI took over 60 s. The bound that
        // matters (recovery far below pg-boss's hour) is the score wait below, not start-up.
        await waitFor(async () => [a, b].every((w) => w.output.some((line) => line.includes("ready"))), Boolean, {
          timeoutMs: 240_000,
        }).catch((error: Error) => {
          throw new Error(
            `${error.message}: the workers did not both say "ready"; A: ${a.output.slice(-5).join(" | ")}; B: ${b.output.slice(-5).join(" | ")}`,
          );
        });
        const train = await requestTraining(testDb.db, boss, project.id, admin.id);
        await waitFor(
          () => testDb.db.jobRun.findUniqueOrThrow({ where: { id: train.id } }),
          (r) => r.state === "completed" || r.state === "failed",
          { timeoutMs: 120_000 },
        );
        const version = await testDb.db.modelVersion.findFirstOrThrow({ where: { projectId: project.id } });

        // Each worker runs one chunk at a time: with two chunks running at once, one of them is A's.
        const runningChunks = () =>
          testDb.db.jobRun.findMany({
            where: { projectId: project.id, type: "score-chunk", state: "running" },
            select: { id: true },
          });
        await waitFor(runningChunks, (running) => running.length === 2, { timeoutMs: 120_000, intervalMs: 10 });
        a.child.kill("SIGKILL");
        await a.exited;

        const score = await waitFor(
          () => testDb.db.jobRun.findFirst({ where: { projectId: project.id, type: "score" } }),
          (r) => r?.state === "completed" || r?.state === "failed",
          // Far below pg-boss's expiry of the chunk jobs (3600 s): only the heartbeat sweep can have recovered A's chunk.
          { timeoutMs: 180_000, intervalMs: 100 },
        );
        expect(score!.state, score!.error ?? "").toBe("completed");
        expect(b.alive()).toBe(true);

        const chunks = await testDb.db.jobRun.findMany({
          where: { projectId: project.id, type: "score-chunk" },
          orderBy: { createdAt: "asc" },
        });
        expect(chunks).toHaveLength(8);
        expect(chunks.every((c) => c.state === "completed")).toBe(true);
        const chunkLogs = await Promise.all(chunks.map((c) => messages(c.id)));
        for (const logs of chunkLogs) expect(logs.filter((m) => m === "Completed")).toHaveLength(1);
        // A's chunk was interrupted and re-queued by the heartbeat sweep, then completed by B.
        const retried = chunkLogs.filter((logs) =>
          logs.includes("Failed: The worker running this job stopped (no heartbeat for 3 s) — will retry"),
        );
        expect(retried.length, JSON.stringify(chunkLogs)).toBeGreaterThanOrEqual(1);

        const [counts] = await testDb.db.$queryRaw<{ rows: bigint; items: bigint }[]>`
        SELECT count(*) AS rows, count(DISTINCT item_id) AS items FROM prediction WHERE model_version_id = ${version.id}`;
        expect(Number(counts!.rows)).toBe(rows.length);
        expect(Number(counts!.items)).toBe(rows.length);

        const parentLogs = await messages(score!.id);
        expect(parentLogs.filter((m) => m.startsWith("Split "))).toEqual([`Split ${rows.length} items into 8 chunks`]);
        expect(parentLogs.filter((m) => m.startsWith("Scored "))).toEqual([`Scored ${rows.length} items`]);
        expect(parentLogs.filter((m) => m === "Completed")).toHaveLength(1);
      } finally {
        for (const w of [a, b]) if (w.alive()) w.child.kill("SIGKILL");
      }
    },
  );
});
