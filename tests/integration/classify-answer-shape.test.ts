import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZeroShotVersion } from "@/server/domain/llm/create-zero-shot-version";
import { contentHash } from "@/server/domain/items/content-hash";
import { predictWithVersion } from "@/server/domain/models/predict-with-version";
import { startApiServer, signIn, type ApiServer } from "../helpers/api-server";
import { makeProject, makeUser } from "../helpers/factories";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeLlmProject } from "../helpers/llm-project";
import { makeActiveModelVersion } from "../helpers/model-version";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;
let llm: FakeOpenAIServer;
let admin: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  llm = await startFakeOpenAIServer();
  testDb = await createTestDatabase();
  server = await startApiServer();
  const user = await makeUser(testDb.db, "admin");
  admin = await signIn(server.url, user.email, user.password);
});
afterAll(async () => {
  await server.close();
  await llm.close();
  await testDb.drop();
});

/** The same texts through tRPC `models.classify` (the playground's call) and `POST /api/v1/…/classify`, as JSON text. */
async function bothWays(projectId: number, texts: string[], version?: { id: number; number: number }) {
  const trpc = await admin.client.models.classify.mutate({
    projectId,
    texts,
    ...(version ? { modelVersionId: version.id } : {}),
  });
  const key = (await admin.client.apiKeys.create.mutate({ projectId, name: `shape ${texts.length}` })).key;
  const response = await fetch(`${server.url}/api/v1/projects/${projectId}/classify`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ texts, ...(version ? { version: version.number } : {}) }),
  });
  expect(response.status).toBe(200);
  return { trpc: JSON.stringify(trpc), http: await response.text(), answer: trpc };
}

describe("one answer shape for tRPC and the HTTP API", () => {
  it("single-label trained version: a class name per text, unsure as decideClasses gave it", async () => {
    const { project } = await makeProject(testDb.db, { classes: ["cat", "dog"] });
    const { version } = await makeActiveModelVersion(testDb.db, project.id, {
      cat: [
        "the cat purrs and meows",
        "my kitten chases mice",
        "cats sleep all day and purr",
        "a meowing cat on the sofa",
      ],
      dog: [
        "the dog barks and wags its tail",
        "my puppy fetches the ball",
        "dogs love long walks and bark",
        "a barking dog in the park",
      ],
    });
    const texts = ["a kitten purring", "a puppy barking at the mailman", "  the weather today  "];
    const { trpc, http, answer } = await bothWays(project.id, texts);
    expect(trpc).toBe(http);
    expect(answer.model).toEqual({ version: version.number, featurizer: version.featurizerId, task: "single-label" });
    expect(answer.classes).toEqual(["cat", "dog"]);
    const decided = await predictWithVersion(
      testDb.db,
      version,
      texts.map((text) => ({ text, contentHash: contentHash(text) })),
      { storeEmbeddings: false },
    );
    expect(answer.predictions.map((p) => p.prediction)).toEqual(
      texts.map((_, i) => decided.classNames[decided.top[i]!]),
    );
    expect(answer.predictions.map((p) => p.unsure)).toEqual(Array.from(decided.unsure, (u) => u === 1));
    expect(answer.predictions.slice(0, 2).map((p) => p.prediction)).toEqual(["cat", "dog"]);
  });

  it("zero-shot single-label version (the fake LLM server)", async () => {
    const { project } = await makeLlmProject(testDb.db, llm.url);
    const version = await createZeroShotVersion(testDb.db, project.id, null);
    const { trpc, http, answer } = await bothWays(
      project.id,
      ["my cat purrs while grooming", "loud barking at the mailman"],
      version,
    );
    expect(trpc).toBe(http);
    expect(answer.model.task).toBe("single-label");
    expect(answer.predictions.map((p) => p.prediction)).toEqual(["cat", "dog"]);
  });

  it("zero-shot multi-label version: the list of classes that apply, no unsure", async () => {
    const classes = [
      { name: "sports", description: "football matches, goals and players" },
      { name: "weather", description: "rain, storms and sunshine" },
    ];
    const { project } = await makeLlmProject(testDb.db, llm.url, { classes, taskType: "multilabel" });
    const version = await createZeroShotVersion(testDb.db, project.id, null);
    const { trpc, http, answer } = await bothWays(
      project.id,
      ["rain stopped the football match", "sunshine all week", "a late goal won it"],
      version,
    );
    expect(trpc).toBe(http);
    expect(answer.model.task).toBe("multi-label");
    expect(answer.predictions.some((p) => p.prediction.length > 0)).toBe(true);
    for (const p of answer.predictions) {
      expect(Array.isArray(p.prediction)).toBe(true);
      expect(p).not.toHaveProperty("unsure");
      // On exactly when its probability reaches the 0.5 default threshold zero-shot versions use.
      expect(p.prediction).toEqual(classes.map((c) => c.name).filter((name) => p.probabilities[name]! >= 0.5));
    }
  });
});
