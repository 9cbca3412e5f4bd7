import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

// This file runs with no LLM in the environment: LLM features must say so, everything else must work, and a
// project-level endpoint (what an admin sets for a local vLLM/Ollama) turns them on.
for (const key of Object.keys(process.env)) if (key.startsWith("LLM_")) delete process.env[key];

let testDb: TestDatabase;
let api: ApiServer;
let llm: FakeOpenAIServer;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  llm = await startFakeOpenAIServer();
  testDb = await createTestDatabase();
  api = await startApiServer();
});
afterAll(async () => {
  await worker?.stop();
  await api.close();
  await llm.close();
  await testDb.drop();
});

async function codeOf(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return { code: (error as { data?: { code?: string } }).data?.code, message: (error as Error).message };
}

describe("LLM features over the API", () => {
  it("are reported unavailable with a one-line reason while the rest of Margin works", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const client = (await signIn(api.url, admin.email, TEST_PASSWORD)).client;
    const { project } = await makeProject(testDb.db, { classes: ["cat", "dog"] });
    expect(await client.llm.status.query({})).toMatchObject({
      configured: false,
      reason: expect.stringMatching(/^No LLM configured: set LLM_CHAT_MODEL/),
    });
    expect(await codeOf(client.generation.start.mutate({ projectId: project.id, targetPerClass: 3 }))).toEqual({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/^No LLM configured/),
    });
    expect(await codeOf(client.llm.createZeroShotVersion.mutate({ projectId: project.id }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    expect((await client.projects.list.query()).some((p) => p.id === project.id)).toBe(true);
    expect(await client.generation.list.query({ projectId: project.id })).toEqual([]);
  });

  it("lets an admin point a project at an endpoint, never accepts a key there, and validates templates", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const annotator = await makeUser(testDb.db, "annotator");
    const client = (await signIn(api.url, admin.email, TEST_PASSWORD)).client;
    const annotatorClient = (await signIn(api.url, annotator.email, TEST_PASSWORD)).client;
    const { project } = await makeProject(testDb.db, { classes: ["cat", "dog"], annotators: [annotator.id] });

    const withKey = { baseUrl: llm.url, chatModel: "fake-chat", apiKey: "sk-should-not-be-stored" } as unknown as {
      baseUrl: string;
    };
    expect(await codeOf(client.llm.updateSettings.mutate({ projectId: project.id, settings: withKey }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("apiKey"),
    });
    expect(
      await codeOf(
        annotatorClient.llm.updateSettings.mutate({ projectId: project.id, settings: { baseUrl: llm.url } }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await codeOf(
        client.llm.updateSettings.mutate({
          projectId: project.id,
          promptTemplates: { expandUser: "Write an example for {{description}}" },
        }),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("must contain {{summary}}"),
    });

    await client.llm.updateSettings.mutate({
      projectId: project.id,
      settings: { baseUrl: llm.url, chatModel: "fake-chat", maxRetries: 0 },
      promptTemplates: { expandSystem: "You write realistic short texts." },
    });
    // The project's endpoint and models are the admins' business (annotators' calls spend no LLM budget).
    expect(await codeOf(annotatorClient.llm.status.query({ projectId: project.id }))).toMatchObject({
      code: "FORBIDDEN",
    });
    const status = await client.llm.status.query({ projectId: project.id });
    expect(status).toMatchObject({
      configured: true,
      reason: null,
      config: { endpoint: llm.url, chatModel: "fake-chat", apiKeySet: false, maxRetries: 0 },
    });
    expect(status.templateVersion).toMatch(/^custom-[0-9a-f]{10}$/);
    const templates = await annotatorClient.generation.templates.query({ projectId: project.id });
    expect(templates.overridden).toEqual(["expandSystem"]);
    expect(templates.templates.expandSystem).toBe("You write realistic short texts.");
    expect(templates.templates.summariesSystem).toBe(templates.defaults.summariesSystem);
    expect(
      await codeOf(annotatorClient.generation.start.mutate({ projectId: project.id, targetPerClass: 2 })),
    ).toMatchObject({ code: "FORBIDDEN" });
  });

  it("runs a generation end to end on a worker, with progress, counts and usage visible to users", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const client = (await signIn(api.url, admin.email, TEST_PASSWORD)).client;
    const { project, classes } = await makeProject(testDb.db, { classes: ["cat", "dog"] });
    await client.llm.updateSettings.mutate({
      projectId: project.id,
      settings: { baseUrl: llm.url, chatModel: "fake-chat", maxRetries: 0 },
    });
    expect(
      await codeOf(client.generation.start.mutate({ projectId: project.id, targetPerClass: 3, classIds: [999_999] })),
    ).toMatchObject({ code: "BAD_REQUEST" });

    const run = await client.generation.start.mutate({ projectId: project.id, targetPerClass: 4, seed: 2 });
    expect((await client.generation.list.query({ projectId: project.id }))[0]).toMatchObject({
      id: run.id,
      model: "fake-chat",
      targetPerClass: 4,
      jobRun: { state: "queued" },
    });

    worker = await startWorker({
      db: testDb.db,
      connectionString: testDb.url,
      concurrency: 1,
      pollingSeconds: 0.5,
      log: () => undefined,
    });
    const done = await waitFor(
      () => client.generation.get.query({ runId: run.id }),
      (r) => r.jobRun?.state === "completed" || r.jobRun?.state === "failed",
      { timeoutMs: 120_000 },
    );
    expect(done.jobRun).toMatchObject({ state: "completed", progress: 1, done: 8, total: 8 });
    expect(done.counts.map((c) => ({ className: c.className, kept: c.kept }))).toEqual(
      classes.map((c) => ({ className: c.name, kept: 4 })),
    );
    expect(done.requestCount).toBe(llm.requests.length);
    expect(done.promptTokens).toBeGreaterThan(0);
    expect((await client.generation.list.query({ projectId: project.id }))[0]).toMatchObject({ itemCount: 8 });

    // The same project can be labeled zero-shot through the API.
    const version = await client.llm.createZeroShotVersion.mutate({ projectId: project.id });
    expect(version).toMatchObject({ kind: "llm_zero_shot", number: 1 });
    const labels = await client.llm.zeroShot.mutate({
      projectId: project.id,
      modelVersionId: version.id,
      texts: ["texts about cat"],
    });
    expect(labels[0]).toMatchObject({ text: "texts about cat", prediction: "cat" });
    expect(Object.keys(labels[0]!.probabilities)).toEqual(["cat", "dog"]);
  });

  it("cancels a queued generation", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const client = (await signIn(api.url, admin.email, TEST_PASSWORD)).client;
    const { project } = await makeProject(testDb.db, { classes: ["cat", "dog"] });
    await client.llm.updateSettings.mutate({
      projectId: project.id,
      settings: { baseUrl: llm.url, chatModel: "fake-chat" },
    });
    await worker?.stop();
    worker = undefined;
    const run = await client.generation.start.mutate({ projectId: project.id, targetPerClass: 2 });
    expect(await client.generation.cancel.mutate({ runId: run.id })).toMatchObject({ state: "cancelled" });
    expect((await client.generation.get.query({ runId: run.id })).jobRun?.state).toBe("cancelled");
  });
});
