import { afterAll, beforeAll, expect, it } from "vitest";
import { startGeneration } from "@/server/domain/generation/start-generation";
import { startWorker } from "@/worker/start-worker";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeUser } from "../helpers/factories";
import { makeLlmProject } from "../helpers/llm-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";
import type PgBoss from "pg-boss";

const CANARY = "sk-canary-4f7c2e9a1b3d5c8e0f2a4b6c";

let testDb: TestDatabase;
let boss: PgBoss;
let llm: FakeOpenAIServer;

beforeAll(async () => {
  llm = await startFakeOpenAIServer({ apiKey: CANARY });
  process.env.LLM_BASE_URL = llm.url;
  process.env.LLM_API_KEY = CANARY;
  process.env.LLM_CHAT_MODEL = "fake-chat";
  process.env.LLM_MAX_RETRIES = "0";
  ({ testDb, boss } = await createTestDatabaseWithBoss());
});
afterAll(async () => {
  await llm.close();
  await testDb.drop();
});

/** Rows of every table (public and pgboss schemas) whose text form contains `needle`. */
async function rowsContaining(needle: string) {
  const tables = await testDb.db.$queryRaw<{ schema: string; name: string }[]>`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`;
  const hits: string[] = [];
  for (const { schema, name } of tables) {
    const [row] = await testDb.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${schema}"."${name}" t WHERE t::text LIKE $1`,
      `%${needle}%`,
    );
    if (row!.n > 0) hits.push(`${schema}.${name} (${row!.n})`);
  }
  return hits;
}

it("keeps a key that an upstream LLM error echoes out of pg-boss's job output, job_run and job logs", async () => {
  // An upstream that fails echoing the key, as some proxies and servers do ("Incorrect API key provided: sk-…").
  llm.intercept = (request) => ({
    status: 500,
    errorBody: {
      error: {
        message: `upstream failed for Authorization: ${request.authorization}; key ${CANARY} api_key=${CANARY}`,
        type: "server_error",
      },
    },
  });
  const admin = await makeUser(testDb.db, "admin");
  const { project } = await makeLlmProject(testDb.db, llm.url);
  const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 3, seed: 5 }, admin.id);
  const logs: string[] = [];
  const worker = await startWorker({
    db: testDb.db,
    connectionString: testDb.url,
    concurrency: 1,
    pollingSeconds: 0.5,
    log: (line) => logs.push(line),
  });
  try {
    // The first attempt fails; pg-boss stores its error as the job's output and schedules a retry.
    const job = await waitFor(
      async () =>
        (
          await testDb.db.$queryRaw<
            { output: unknown; state: string }[]
          >`SELECT output, state::text FROM pgboss.job WHERE id = ${run.jobRunId}::uuid`
        )[0],
      (j) => j?.output != null,
    );
    expect(job!.state).toMatch(/retry|failed/);
    expect(llm.requests.some((r) => r.authorization === `Bearer ${CANARY}`)).toBe(true);
  } finally {
    await worker.stop();
  }
  const jobRun = await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.jobRunId! }, include: { logs: true } });
  // Still useful: what failed and how, without the key.
  expect(jobRun.error).toMatch(/HTTP 500/);
  expect(jobRun.error).toContain("[redacted]");
  expect(
    JSON.stringify(jobRun, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
  ).not.toContain("canary");
  const [job] = await testDb.db.$queryRaw<
    { output: { message: string; stack: string; cause?: { message: string } } }[]
  >`SELECT output FROM pgboss.job WHERE id = ${run.jobRunId}::uuid`;
  expect(job!.output.message).toMatch(/HTTP 500/);
  expect(job!.output.cause?.message).toContain("[redacted]");
  expect(await rowsContaining("canary")).toEqual([]);
  expect(logs.join("\n")).not.toContain("canary");
});
