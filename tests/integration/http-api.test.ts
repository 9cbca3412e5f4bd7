// Set before anything reads the environment: a small per-key limit and batch size to test 429 and 413.
process.env.API_RATE_LIMIT_PER_MINUTE = "8";
process.env.API_MAX_TEXTS_PER_REQUEST = "5";

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentHash } from "@/server/domain/items/content-hash";
import { makeProject, makeUser } from "./../helpers/factories";
import { startApiServer, signIn, type ApiServer } from "./../helpers/api-server";
import { makeActiveModelVersion } from "./../helpers/model-version";
import { createTestDatabase, type TestDatabase } from "./../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;
let admin: Awaited<ReturnType<typeof signIn>>;
let projectId: number;
let otherProjectId: number;

const CATS = [
  "the cat purrs and meows",
  "my kitten chases mice",
  "cats sleep all day and purr",
  "a meowing cat on the sofa",
];
const DOGS = [
  "the dog barks and wags its tail",
  "my puppy fetches the ball",
  "dogs love long walks and bark",
  "a barking dog in the park",
];

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startApiServer();
  const user = await makeUser(testDb.db, "admin");
  admin = await signIn(server.url, user.email, user.password);
  projectId = (await makeProject(testDb.db, { classes: ["cat", "dog"] })).project.id;
  otherProjectId = (await makeProject(testDb.db, { classes: ["x", "y"] })).project.id;
  await makeActiveModelVersion(testDb.db, projectId, { cat: CATS, dog: DOGS });
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

function classify(id: number, key: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/v1/projects/${id}/classify`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /api/v1/projects/{id}/classify", () => {
  it("answers a valid key with one prediction per text from the active model", async () => {
    const created = await admin.client.apiKeys.create.mutate({ projectId, name: "test program" });
    expect(created.key).toMatch(/^mgn_[A-Za-z0-9_-]{43}$/);
    const stored = await testDb.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.hash).not.toContain(created.key.slice(4));
    expect(stored.prefix).toBe(created.key.slice(0, 12));
    expect((await admin.client.apiKeys.list.query({ projectId })).map((k) => k.prefix)).toEqual([created.prefix]);

    const response = await classify(projectId, created.key, {
      texts: ["a kitten purring", "a puppy barking at the mailman"],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-limit")).toBe("8");
    const body = (await response.json()) as {
      model: { version: number };
      classes: string[];
      predictions: { prediction: string; probabilities: Record<string, number> }[];
    };
    expect(body.model.version).toBe(1);
    expect(body.classes).toEqual(["cat", "dog"]);
    expect(body.predictions.map((p) => p.prediction)).toEqual(["cat", "dog"]);
    for (const p of body.predictions) expect(p.probabilities.cat! + p.probabilities.dog!).toBeCloseTo(1, 5);

    // Vectors already in embedding_cache are used: give "zzz" the cached vector of a dog text.
    const { getFeaturizer } = await import("@/server/featurizers/get-featurizer");
    const featurizer = await getFeaturizer("glove-sif-200@1");
    const dogVector = await featurizer.embed([DOGS[0]!]);
    await testDb.db.embeddingCache.create({
      data: {
        featurizerId: featurizer.id,
        contentHash: contentHash("zzz qqq"),
        dim: featurizer.dim,
        vector: Uint8Array.from(new Uint8Array(dogVector.buffer, dogVector.byteOffset, dogVector.byteLength)),
      },
    });
    const cached = (await (
      await classify(projectId, created.key, { texts: ["zzz qqq", DOGS[0]] })
    ).json()) as typeof body;
    expect(cached.predictions[0]).toEqual(cached.predictions[1]);
  });

  it("401 for a revoked key, 403 for another project's key, 401 without a key", async () => {
    const key = (await admin.client.apiKeys.create.mutate({ projectId, name: "soon revoked" })).key;
    expect((await classify(projectId, key, { texts: ["x"] })).status).toBe(200);
    const id = (await testDb.db.apiKey.findFirstOrThrow({ where: { name: "soon revoked" } })).id;
    await admin.client.apiKeys.revoke.mutate({ id });
    const revoked = await classify(projectId, key, { texts: ["x"] });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "This API key was revoked" } });

    const otherKey = (await admin.client.apiKeys.create.mutate({ projectId: otherProjectId, name: "other" })).key;
    const wrong = await classify(projectId, otherKey, { texts: ["x"] });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");

    const none = await classify(projectId, undefined, { texts: ["x"] });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect((await classify(projectId, "mgn_not-a-real-key", { texts: ["x"] })).status).toBe(401);
  });

  it("413 above the batch limit, 422 for a bad body, 415 for another media type, 412 without an active model", async () => {
    const key = (await admin.client.apiKeys.create.mutate({ projectId, name: "limits" })).key;
    const tooMany = await classify(projectId, key, { texts: ["a", "b", "c", "d", "e", "f"] });
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toBe(
      "At most 5 texts per request (got 6); split the batch",
    );
    const bad = await classify(projectId, key, { texts: [] });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("texts: send at least one text");
    expect((await classify(projectId, key, "{not json")).status).toBe(422);
    expect((await classify(projectId, key, "texts=a", { "content-type": "text/plain" })).status).toBe(415);

    const otherKey = (await admin.client.apiKeys.create.mutate({ projectId: otherProjectId, name: "no model" })).key;
    const noModel = await classify(otherProjectId, otherKey, { texts: ["x"] });
    expect(noModel.status).toBe(412);
  });

  it("429 once a key used its requests for the minute, counted in PostgreSQL", async () => {
    const created = await admin.client.apiKeys.create.mutate({ projectId, name: "busy" });
    const minute = async () =>
      (await testDb.db.$queryRaw<{ m: Date }[]>`SELECT date_trunc('minute', now()) AS m`)[0]!.m.getTime();
    // The windows are real minutes: if one ends during the burst, the burst is repeated in the next one.
    for (let attempt = 0; attempt < 2; attempt++) {
      await testDb.db.apiRateWindow.deleteMany({ where: { apiKeyId: created.id } });
      const start = await minute();
      const statuses: number[] = [];
      for (let i = 0; i < 9; i++) statuses.push((await classify(projectId, created.key, { texts: ["x"] })).status);
      if ((await minute()) !== start) continue;
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
      const windows = await testDb.db.apiRateWindow.findMany({ where: { apiKeyId: created.id } });
      expect(windows.map((w) => w.count)).toEqual([9]);
      const limited = await classify(projectId, created.key, { texts: ["x"] });
      if ((await minute()) !== start) continue;
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(0);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
      return;
    }
    throw new Error("two bursts in a row straddled a minute boundary");
  });

  it("serves its OpenAPI document, whose error statuses are the ones docs/import-export.md lists", async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/projects/{projectId}/classify"]);
    const documented = (await readFile(path.resolve(import.meta.dirname, "../../docs/import-export.md"), "utf8"))
      .split("\n")
      .map((line) => /^\| (\d{3}) \|/.exec(line)?.[1])
      .filter((status): status is string => status !== undefined);
    const inOpenApi = Object.keys(doc.paths["/api/v1/projects/{projectId}/classify"]!.post.responses).filter(
      (status) => status !== "200",
    );
    expect(documented.sort()).toEqual(inOpenApi.sort());
  });

  it("validates texts as tRPC models.classify does, and 404 for an unknown version", async () => {
    const key = (await admin.client.apiKeys.create.mutate({ projectId, name: "same rules" })).key;
    const blank = await classify(projectId, key, { texts: ["a cat", " \t\n "] });
    expect(blank.status).toBe(422);
    const message = ((await blank.json()) as { error: { message: string } }).error.message;
    expect(message).toBe("texts.1: a text is empty or only whitespace");
    await expect(admin.client.models.classify.mutate({ projectId, texts: ["a cat", " \t\n "] })).rejects.toThrow(
      "a text is empty or only whitespace",
    );
    const long = "x".repeat(100_001);
    expect((await classify(projectId, key, { texts: [long] })).status).toBe(422);
    await expect(admin.client.models.classify.mutate({ projectId, texts: [long] })).rejects.toThrow(
      "each text has at most 100,000 characters",
    );
    // Texts are classified as given (not trimmed) on both paths: the same probabilities for the same string.
    const padded = "  the cat purrs  ";
    const api = (await (await classify(projectId, key, { texts: [padded] })).json()) as {
      predictions: { probabilities: Record<string, number> }[];
    };
    const trpc = await admin.client.models.classify.mutate({ projectId, texts: [padded] });
    expect(trpc).toEqual(api);

    const unknown = await classify(projectId, key, { texts: ["a cat"], version: 99 });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: "NOT_FOUND",
      message: "Model version v99 does not exist in this project",
    });
  });
});
