import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClass } from "@/server/domain/classes/create-class";
import { createZeroShotVersion } from "@/server/domain/llm/create-zero-shot-version";
import { classifyTexts } from "@/server/domain/classify/classify-texts";
import { zeroShotPredict } from "@/server/domain/llm/zero-shot-predict";
import { LlmError } from "@/server/llm/llm-error";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { makeLlmProject } from "../helpers/llm-project";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ delayMs: 10 });
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});
beforeEach(() => server.reset());

function rows(probabilities: Float32Array, k: number) {
  return Array.from({ length: probabilities.length / k }, (_, i) =>
    Array.from(probabilities.subarray(i * k, (i + 1) * k)),
  );
}

describe("zero-shot classification", () => {
  it("labels texts through an enum of class names, with stated confidence as probabilities in the project's class order", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const texts = [
      "meow",
      "loud barking at the mailman",
      "my cat purrs while grooming",
      "the dog obeys commands and can be trained",
    ];
    const { probabilities, classIds } = await zeroShotPredict(testDb.db, project.id, texts);
    expect(classIds).toEqual(classes.map((c) => c.id));
    const p = rows(probabilities, 2);
    expect(p.map((r) => (r[0]! > r[1]! ? "cat" : "dog"))).toEqual(["cat", "dog", "cat", "dog"]);
    for (const r of p) expect(r[0]! + r[1]!).toBeCloseTo(1, 6);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.task).toBe("zero_shot_labels");
    expect(sent.body.temperature).toBe(0);
    const item = sent.body.response_format!.json_schema!.schema.properties!.results!.items!;
    expect(item.properties!.label!.enum).toEqual(["cat", "dog"]);
    expect(sent.system).toContain(`- cat: ${classes[0]!.description.replace(/\s+/g, " ")}`);
    expect(sent.user).toBe(`Texts:\n${texts.map((t, i) => `[${i + 1}] ${t}`).join("\n")}`);

    // Scoring the same texts again is answered by the cache.
    server.reset();
    const again = await zeroShotPredict(testDb.db, project.id, texts);
    expect(server.requests).toHaveLength(0);
    expect(Array.from(again.probabilities)).toEqual(Array.from(probabilities));
  });

  it("turns a stated confidence into a distribution whose arg-max is the chosen class", async () => {
    const three = [
      { name: "a", description: "apples" },
      { name: "b", description: "bananas" },
      { name: "c", description: "cherries" },
    ];
    const { project } = await makeLlmProject(testDb.db, server.url, { classes: three });
    server.intercept = () => ({
      answer: {
        results: [
          { id: 1, label: "b", confidence: 0.7 },
          { id: 2, label: "c", confidence: 0.1 },
          { id: 3, label: "a", confidence: 1.4 },
        ],
      },
    });
    const { probabilities } = await zeroShotPredict(testDb.db, project.id, ["x", "y", "z"]);
    const p = rows(probabilities, 3);
    expect(p[0]![0]).toBeCloseTo(0.15, 6);
    expect(p[0]![1]).toBeCloseTo(0.7, 6);
    expect(p[0]![2]).toBeCloseTo(0.15, 6);
    // A confidence under 1/K still leaves the chosen class on top (uniform); one over 1 is clamped.
    expect(p[1]!.map((v) => Number(v.toFixed(6)))).toEqual([0.333333, 0.333333, 0.333333]);
    expect(p[2]).toEqual([1, 0, 0]);
  });

  it("sends texts in batches under the concurrency limit", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url, { settings: { concurrency: 2 } });
    const texts = Array.from({ length: 25 }, (_, i) => `text number ${i} about barking dogs`);
    server.intercept = () => ({ delayMs: 200 });
    const { probabilities } = await zeroShotPredict(testDb.db, project.id, texts, { batchSize: 10 });
    expect(server.requests.map((r) => r.user.split("\n").length - 1)).toEqual(expect.arrayContaining([10, 10, 5]));
    expect(server.requests).toHaveLength(3);
    expect(server.maxInFlight).toBe(2);
    expect(rows(probabilities, 2).every((r) => r[1]! > r[0]!)).toBe(true);
  });

  it("asks again text by text when a batch answer leaves texts out", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url);
    server.intercept = (r, i) =>
      i === 0 ? { answer: { results: [{ id: 1, label: "cat", confidence: 0.9 }] } } : undefined;
    const { probabilities } = await zeroShotPredict(testDb.db, project.id, [
      "meowing kitten",
      "barking puppy",
      "purring",
    ]);
    expect(server.requests).toHaveLength(4);
    expect(server.requests.slice(1).every((r) => r.user.split("\n").length === 2)).toBe(true);
    expect(rows(probabilities, 2).map((r) => (r[0]! > r[1]! ? "cat" : "dog"))).toEqual(["cat", "dog", "cat"]);
  });

  it("rejects a label that is not a class as malformed output", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url);
    server.intercept = () => ({ answer: { results: [{ id: 1, label: "bird", confidence: 0.9 }] } });
    const error = await zeroShotPredict(testDb.db, project.id, ["tweet"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).llmCode).toBe("LLM_MALFORMED_OUTPUT");
  });

  it("scores every class independently for multi-label projects", async () => {
    const classes = [
      { name: "sports", description: "football matches, goals and players" },
      { name: "weather", description: "rain, storms and sunshine" },
      { name: "food", description: "recipes, cooking and restaurants" },
    ];
    const { project } = await makeLlmProject(testDb.db, server.url, { classes, taskType: "multilabel" });
    const { probabilities, classIds } = await zeroShotPredict(testDb.db, project.id, [
      "heavy rain stopped the football match",
      "a new recipe for cooking rice",
    ]);
    expect(classIds).toHaveLength(3);
    expect(server.requests[0]!.task).toBe("zero_shot_multi_labels");
    expect(rows(probabilities, 3).map((r) => r.map((v) => Number(v.toFixed(2))))).toEqual([
      [0.9, 0.9, 0.1],
      [0.1, 0.1, 0.9],
    ]);

    server.reset();
    server.intercept = () => ({ answer: { results: [{ id: 1, labels: [{ label: "food", probability: 0.8 }] }] } });
    const partial = await zeroShotPredict(testDb.db, project.id, ["soup"]);
    expect(Array.from(partial.probabilities).map((v) => Number(v.toFixed(2)))).toEqual([0, 0, 0.8]);

    server.intercept = () => ({
      answer: {
        results: [
          {
            id: 1,
            labels: [
              { label: "food", probability: 0.8 },
              { label: "food", probability: 0.2 },
            ],
          },
        ],
      },
    });
    await expect(zeroShotPredict(testDb.db, project.id, ["stew"])).rejects.toThrow(/scores class "food" twice/);
  });

  it("creates an llm_zero_shot model version whose classes stay fixed when the project changes", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const version = await createZeroShotVersion(testDb.db, project.id, null);
    expect(version).toMatchObject({ kind: "llm_zero_shot", number: 1, status: "ready", featurizerId: "llm:fake-chat" });
    expect(version.params).toMatchObject({
      classIds: classes.map((c) => c.id),
      chatModel: "fake-chat",
      multiLabel: false,
      templateVersion: "lamini@1",
      probabilities: "stated-confidence",
    });
    await createClass(testDb.db, { projectId: project.id, name: "bird", description: "tweets and feathers" }, null);
    await testDb.db.project.update({ where: { id: project.id }, data: { taskType: "multiclass" } });

    const byVersion = await zeroShotPredict(testDb.db, project.id, ["meow"], { modelVersionId: version.id });
    expect(byVersion.classIds).toEqual(classes.map((c) => c.id));
    expect(byVersion.probabilities).toHaveLength(2);
    const current = await zeroShotPredict(testDb.db, project.id, ["meow"]);
    expect(current.classIds).toHaveLength(3);
    expect((await createZeroShotVersion(testDb.db, project.id, null)).number).toBe(2);
  });

  it("classifies through the playground path with a zero-shot version, like a trained one", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url);
    const version = await createZeroShotVersion(testDb.db, project.id, null);
    const result = await classifyTexts(testDb.db, {
      projectId: project.id,
      modelVersionId: version.id,
      texts: ["meow meow, purring on the sofa", "woof! fetch the ball"],
    });
    expect(result.model).toEqual({ version: version.number, featurizer: version.featurizerId, task: "single-label" });
    for (const r of result.predictions) {
      expect(typeof r.prediction).toBe("string");
      const p = Object.values(r.probabilities);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r.probabilities[r.prediction as string]).toBe(Math.max(...p));
    }
  });
});
