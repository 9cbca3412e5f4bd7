import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cancelGeneration } from "@/server/domain/generation/cancel-generation";
import { getGenerationRun } from "@/server/domain/generation/get-generation-run";
import { listGeneratedExamples } from "@/server/domain/generation/list-generated-examples";
import { startGeneration } from "@/server/domain/generation/start-generation";
import { contentHash } from "@/server/domain/items/content-hash";
import { submitLabel } from "@/server/domain/labels/submit-label";
import { classifyTexts } from "@/server/domain/classify/classify-texts";
import { trainModelVersion } from "@/server/domain/training/train-model-version";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";
import { generateJob } from "@/server/jobs/job-definitions";
import { handleGenerate } from "@/worker/handlers/generate";
import { runJob } from "@/worker/run-job";
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest } from "../helpers/fake-openai-server";
import { makeUser } from "../helpers/factories";
import { makeLlmProject } from "../helpers/llm-project";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
let boss: PgBoss;
let server: FakeOpenAIServer;
let keyed: FakeOpenAIServer;
let adminId: string;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ delayMs: 15 });
  keyed = await startFakeOpenAIServer({ apiKey: "sk-the-right-key-123" });
  // The environment's endpoint requires a key and is given the wrong one (env() is read lazily, after this).
  process.env.LLM_BASE_URL = keyed.url;
  process.env.LLM_API_KEY = "sk-a-wrong-key-456";
  process.env.LLM_CHAT_MODEL = "fake-chat";
  ({ testDb, boss } = await createTestDatabaseWithBoss());
  adminId = (await makeUser(testDb.db, "admin")).id;
});
afterAll(async () => {
  await server.close();
  await keyed.close();
  await testDb.drop();
});
beforeEach(() => {
  server.reset();
  keyed.reset();
});

/** Runs one delivery of the run's job exactly as the worker would (retryCount > 0 is a redelivery after a failure). */
async function deliver(runId: number, retryCount = 0) {
  const run = await testDb.db.generationRun.findUniqueOrThrow({ where: { id: runId } });
  const jobRun = await testDb.db.jobRun.findUniqueOrThrow({ where: { id: run.jobRunId! } });
  const envelope = jobRun.payload as { version: number; data: unknown };
  const job = {
    id: jobRun.id,
    name: generateJob.name,
    data: { jobRunId: jobRun.id, version: envelope.version, data: envelope.data },
    retryCount,
    retryLimit: 2,
  };
  return runJob(testDb.db, boss, generateJob, handleGenerate, job as unknown as Parameters<typeof runJob>[4]);
}

async function jobOf(runId: number) {
  const run = await testDb.db.generationRun.findUniqueOrThrow({ where: { id: runId } });
  return testDb.db.jobRun.findUniqueOrThrow({
    where: { id: run.jobRunId! },
    include: { logs: { orderBy: { id: "asc" } } },
  });
}

function classOf(request: RecordedRequest, classes: { name: string; description: string }[]) {
  return classes.find((c) => request.user.includes(c.description))?.name;
}

describe("LLM generation", () => {
  it("runs summaries → diversify → expand per class and stores labeled generated items with provenance", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 6, seed: 11 }, adminId);
    expect(await deliver(run.id)).toMatchObject({ stored: 12, target: 12 });

    const phase1 = server.requests.filter((r) => r.task === "example_summaries");
    const phase2 = server.requests.filter((r) => r.task === "diversified_summaries");
    const phase3 = server.requests.filter((r) => r.task === "expanded_example");
    expect(phase1.length).toBeGreaterThanOrEqual(2);
    expect(phase2.length).toBe(phase1.length);
    const expanded = await testDb.db.generationSummary.count({
      where: { runId: run.id, OR: [{ itemId: { not: null } }, { dropped: { not: null } }] },
    });
    expect(phase3.length).toBe(expanded);
    for (const request of phase1) {
      expect(request.system).toBe(
        "You are a domain expert who is able to generate many different examples given a description.",
      );
      expect(request.user).toContain("Generate 5 different example summaries following this description");
      expect(request.user).not.toContain("Consider the following examples");
      expect(classOf(request, classes)).toBeDefined();
      expect(request.body.seed).toEqual(expect.any(Number));
    }
    // Phase 2 is shown phase 1's summaries of the same class, numbered.
    const firstCat = phase1.find((r) => classOf(r, classes) === "cat")!;
    const catSummariesRows = await testDb.db.generationSummary.findMany({
      where: { runId: run.id, classId: classes[0]!.id, phase: "summary" },
    });
    const catDiversify = phase2.filter((r) => catSummariesRows.some((s) => r.user.includes(`. ${s.text}\n`)));
    expect(catDiversify.length).toBeGreaterThan(0);
    expect(catDiversify[0]!.user).toMatch(/^Read the following descriptions carefully:\n-+\n1\. /);
    expect(firstCat.user).toContain(classes[0]!.description);

    const items = await testDb.db.item.findMany({ where: { projectId: project.id }, include: { annotations: true } });
    expect(items).toHaveLength(12);
    for (const cls of classes) {
      const mine = items.filter((i) => i.labelClassIds[0] === cls.id);
      expect(mine).toHaveLength(6);
      for (const item of mine) {
        expect(item).toMatchObject({
          source: "generated",
          split: "train",
          labelStatus: "labeled",
          labelOrigin: "generated",
          generationRunId: run.id,
          labelClassIds: [cls.id],
        });
        expect(item.annotations).toEqual([
          expect.objectContaining({ origin: "generated", classIds: [cls.id], userId: null }),
        ]);
        const provenance = item.provenance as Record<string, unknown>;
        expect(provenance).toMatchObject({
          runId: run.id,
          model: "fake-chat",
          templateVersion: "lamini@1",
          seed: 11,
          phase: expect.stringMatching(/^(summary|diversified)$/),
        });
        // Phase 3 was asked to expand exactly that summary, with the class description.
        const expansion = phase3.find((r) => r.user.includes(`\n${provenance.summary as string}\n`))!;
        expect(expansion.user).toContain(cls.description);
        expect(expansion.user).toContain("Expand the summary to a complete example.");
        expect(item.text.startsWith(provenance.summary as string)).toBe(true);
      }
    }

    const done = await getGenerationRun(testDb.db, run.id);
    expect(done.requestCount).toBe(server.requests.length);
    expect(done.promptTokens).toBeGreaterThan(0);
    expect(done.completionTokens).toBeGreaterThan(0);
    expect(done.costUsd).toBeNull();
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.counts.map((c) => [c.className, c.kept])).toEqual([
      ["cat", 6],
      ["dog", 6],
    ]);
    const job = await jobOf(run.id);
    expect(job).toMatchObject({ state: "completed", progress: 1, done: 12, total: 12 });
  });

  // Seeds 101 and 103 are used by no other test: answers are cached per (model, messages, seed), and a cache hit
  // from another test would bypass that test's intercepts.
  it("lists a run's kept examples for review, newest first, by class and page, with corrections visible", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const run = await startGeneration(
      testDb.db,
      boss,
      { projectId: project.id, targetPerClass: 4, seed: 101 },
      adminId,
    );
    await deliver(run.id);
    const first = await listGeneratedExamples(testDb.db, { runId: run.id, limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toBe(first.items[4]!.id);
    const second = await listGeneratedExamples(testDb.db, { runId: run.id, limit: 5, cursor: first.nextCursor! });
    expect(second).toMatchObject({ nextCursor: null });
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(ids).toHaveLength(8);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const dogs = await listGeneratedExamples(testDb.db, { runId: run.id, classId: classes[1]!.id });
    expect(dogs.items).toHaveLength(4);
    expect(dogs.items.every((i) => i.labelClassIds[0] === classes[1]!.id && i.labelOrigin === "generated")).toBe(true);
    // A reviewer's correction supersedes the generated label; the example still belongs to its generated class.
    await submitLabel(
      testDb.db,
      boss,
      { projectId: project.id, itemId: dogs.items[0]!.id, action: "label", classIds: [classes[0]!.id] },
      adminId,
    );
    const after = await listGeneratedExamples(testDb.db, { runId: run.id, classId: classes[1]!.id });
    expect(after.items[0]).toMatchObject({
      id: dogs.items[0]!.id,
      labelClassIds: [classes[0]!.id],
      labelOrigin: "human",
    });
    await expect(listGeneratedExamples(testDb.db, { runId: run.id, limit: 0 })).rejects.toThrow();
  });

  it("trains a classifier from the prompts alone on generated examples, and leaves them out when the project says so", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    // The stand-in plays a competent LLM for phase 3: each expansion is a plausible sentence about the class its
    // prompt describes (which class is read off the request, as a model would). Everything after the HTTP answer —
    // validation, dedupe, storage, embedding, training, classification — is Margin's real pipeline.
    const subjects = {
      cat: ["My cat", "The kitten", "Our tabby", "A stray cat", "The old tomcat", "Her Siamese"],
      dog: ["My dog", "The puppy", "Our beagle", "A stray dog", "The old hound", "Her labrador"],
    };
    const actions = {
      cat: [
        "purrs on the sofa",
        "meows for breakfast",
        "licks its paws clean",
        "hisses at the neighbour's cat",
        "naps in a sunny window",
        "scratches the scratching post",
        "chases a toy mouse",
        "kneads the blanket before sleeping",
      ],
      dog: [
        "barks at the mailman",
        "wags its tail at the door",
        "fetches the ball in the park",
        "howls at the sirens",
        "chews a bone in the yard",
        "pulls on the leash during walks",
        "sits when told to",
        "digs holes in the garden",
      ],
    };
    const served = { cat: 0, dog: 0 };
    server.intercept = (r) => {
      if (r.task !== "expanded_example") return undefined;
      const cls = classOf(r, classes) as "cat" | "dog";
      const n = served[cls]++;
      return { answer: { example: `${subjects[cls][n % 6]} ${actions[cls][Math.floor(n / 6) % 8]}.` } };
    };
    const run = await startGeneration(
      testDb.db,
      boss,
      { projectId: project.id, targetPerClass: 12, seed: 103 },
      adminId,
    );
    await deliver(run.id);
    const hooks = { log: async () => {}, progress: async () => {}, throwIfCancelled: async () => {} };
    const version = await trainModelVersion(testDb.db, boss, project.id, { hooks });
    // Generated items are training data only: the frozen test split must measure real data.
    expect(version).toMatchObject({ trainLabelCount: 24, testLabelCount: 0, status: "ready" });
    // Lamini's check: "meow" is a cat, "woof" a dog (the examples say "meows" and "barks", never these words).
    const { predictions } = await classifyTexts(testDb.db, {
      projectId: project.id,
      modelVersionId: version.id,
      texts: ["meow", "woof"],
    });
    expect(predictions.map((r) => r.prediction)).toEqual(["cat", "dog"]);

    await testDb.db.project.update({ where: { id: project.id }, data: { includeGenerated: false } });
    await expect(trainModelVersion(testDb.db, boss, project.id, { hooks })).rejects.toThrow(/label/i);
  });

  it("shows up to maxHistory existing examples of the class, in an order chosen by the seed", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    const cat = classes[0]!;
    const texts = Array.from({ length: 12 }, (_, i) => `Existing cat example number ${i} purring`);
    await testDb.db.item.createMany({
      data: texts.map((text) => ({
        projectId: project.id,
        text,
        contentHash: contentHash(text),
        labelStatus: "labeled" as const,
        labelClassIds: [cat.id],
        labelOrigin: "human" as const,
      })),
    });
    const shown = async (seed: number) => {
      server.reset();
      const run = await startGeneration(
        testDb.db,
        boss,
        { projectId: project.id, classIds: [cat.id], targetPerClass: 1, seed, maxHistory: 3 },
        adminId,
      );
      await deliver(run.id);
      const first = server.requests.find((r) => r.task === "example_summaries")!;
      expect(first.user.startsWith("Consider the following examples:\n")).toBe(true);
      return texts.filter((t) => first.user.includes(`\n${t}\n`));
    };
    const a = await shown(1);
    const b = await shown(2);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(3);
    expect(a).not.toEqual(b);
  });

  it("batches requests across classes without exceeding the concurrency limit", async () => {
    const three = [
      { name: "sports", description: "Games, matches, athletes and scores." },
      { name: "weather", description: "Rain, storms, forecasts and temperatures." },
      { name: "cooking", description: "Recipes, ovens, spices and kitchens." },
    ];
    const { project } = await makeLlmProject(testDb.db, server.url, { classes: three, settings: { concurrency: 2 } });
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 4, seed: 3 }, adminId);
    // Slow answers, so that requests overlap however loaded the machine is.
    server.intercept = () => ({ delayMs: 200 });
    await deliver(run.id);
    expect(server.maxInFlight).toBe(2);
    // A class cannot send its second request before its first returns, so two requests in flight at the start
    // are two classes being served at once.
    const firstTwo = server.requests.slice(0, 2).map((r) => classOf(r, three));
    expect(new Set(firstTwo).size).toBe(2);
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(12);
  });

  it("drops exact duplicates — of existing items and of each other — and still reaches the target", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url, { settings: { concurrency: 1 } });
    const repeated = "A cat sits on the windowsill and purrs.";
    await testDb.db.item.create({
      data: { projectId: project.id, text: repeated, contentHash: contentHash(repeated) },
    });
    let expansions = 0;
    server.intercept = (r) =>
      r.task === "expanded_example" && expansions++ % 2 === 0 ? { answer: { example: `  ${repeated} ` } } : undefined;
    // A seed no other test uses: answers cached by an earlier run would never reach the intercept.
    const run = await startGeneration(
      testDb.db,
      boss,
      { projectId: project.id, classIds: [classes[0]!.id], targetPerClass: 5, seed: 19 },
      adminId,
    );
    await deliver(run.id);
    expect(await testDb.db.item.count({ where: { projectId: project.id, source: "generated" } })).toBe(5);
    expect(await testDb.db.item.count({ where: { projectId: project.id, contentHash: contentHash(repeated) } })).toBe(
      1,
    );
    const dropped = await testDb.db.generationSummary.findMany({ where: { runId: run.id, dropped: { not: null } } });
    expect(dropped.length).toBeGreaterThanOrEqual(5);
    expect(dropped.every((s) => /^duplicate of item \d+$/.test(s.dropped!))).toBe(true);
    const job = await jobOf(run.id);
    expect(job.logs.some((l) => l.message.includes("duplicate of item"))).toBe(true);
    expect((await getGenerationRun(testDb.db, run.id)).counts[0]).toMatchObject({
      kept: 5,
      dropped: { duplicate: dropped.length },
    });
  });

  it("drops near-duplicates on the project's featurizer (GloVe) with the similarity in the reason", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url, { settings: { concurrency: 1 } });
    const family = [
      "The cat purrs on the warm sofa.",
      "A cat purrs on the warm sofa.",
      "The cat purrs on the warm sofa again.",
      "The cat purrs on a warm sofa.",
      "The cat purrs on the warm sofa today.",
    ];
    let n = 0;
    server.intercept = (r) =>
      r.task === "expanded_example" && n < 2 * family.length && n++ % 2 === 0
        ? { answer: { example: family[(n - 1) / 2]! } }
        : undefined;
    const run = await startGeneration(
      testDb.db,
      boss,
      { projectId: project.id, classIds: [classes[0]!.id], targetPerClass: 6, seed: 17, nearDuplicateThreshold: 0.95 },
      adminId,
    );
    await deliver(run.id);
    const items = await testDb.db.item.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(items).toHaveLength(6);
    expect(items.filter((i) => family.includes(i.text)).map((i) => i.text)).toEqual([family[0]]);
    const first = items.find((i) => i.text === family[0])!;
    const near = await testDb.db.generationSummary.findMany({
      where: { runId: run.id, dropped: { startsWith: "near-duplicate" } },
    });
    for (const s of near) expect(s.dropped).toMatch(/^near-duplicate of item \d+ \(cosine (0\.9[5-9]\d|1\.000)\)$/);
    expect(near.filter((s) => s.dropped!.startsWith(`near-duplicate of item ${first.id} `))).toHaveLength(
      family.length - 1,
    );
    // What was kept is pairwise below the threshold on the same featurizer.
    const featurizer = await getFeaturizer(project.featurizerId);
    const X = await featurizer.embed(items.map((i) => i.text));
    const d = featurizer.dim;
    const cosine = (a: number, b: number) => {
      let dot = 0,
        na = 0,
        nb = 0;
      for (let j = 0; j < d; j++) {
        dot += X[a * d + j]! * X[b * d + j]!;
        na += X[a * d + j]! ** 2;
        nb += X[b * d + j]! ** 2;
      }
      return dot / Math.sqrt(na * nb);
    };
    for (let a = 0; a < items.length; a++)
      for (let b = a + 1; b < items.length; b++) expect(cosine(a, b)).toBeLessThan(0.95);
  });

  it("drops refusals and malformed expansions with the reason, and keeps going", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url, { settings: { concurrency: 1 } });
    let n = 0;
    server.intercept = (r) => {
      if (r.task !== "expanded_example") return undefined;
      n++;
      if (n === 1) return { answer: { example: "I'm sorry, but I can't help with that." } };
      if (n === 2) return { content: "{not json" };
      return undefined;
    };
    const run = await startGeneration(
      testDb.db,
      boss,
      { projectId: project.id, classIds: [classes[1]!.id], targetPerClass: 3, seed: 9 },
      adminId,
    );
    await deliver(run.id);
    expect(await testDb.db.item.count({ where: { projectId: project.id } })).toBe(3);
    const reasons = (
      await testDb.db.generationSummary.findMany({
        where: { runId: run.id, dropped: { not: null } },
        orderBy: { id: "asc" },
      })
    ).map((s) => s.dropped);
    expect(reasons).toEqual(["invalid: the model refused", expect.stringMatching(/^malformed: .*JSON/)]);
  });

  it("resumes after a failed delivery without re-asking answered questions or duplicating stored examples", async () => {
    const { project, classes } = await makeLlmProject(testDb.db, server.url);
    let served = 0;
    server.intercept = () =>
      ++served > 9
        ? { status: 500, errorBody: { error: { message: "GPU fell over", type: "server_error" } } }
        : undefined;
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 8, seed: 21 }, adminId);
    await expect(deliver(run.id)).rejects.toThrow(/HTTP 500/);
    const afterFailure = await jobOf(run.id);
    expect(afterFailure.state).toBe("queued");
    expect(afterFailure.logs.some((l) => l.level === "error" && l.message.startsWith("LLM_SERVER_ERROR: "))).toBe(true);
    const partial = await testDb.db.item.count({ where: { projectId: project.id } });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(16);
    const answered = new Set(server.requests.slice(0, 9).map((r) => JSON.stringify([r.body.messages, r.body.seed])));

    server.reset();
    await deliver(run.id, 1);
    const repeatedQuestions = server.requests.filter((r) =>
      answered.has(JSON.stringify([r.body.messages, r.body.seed])),
    );
    expect(repeatedQuestions).toEqual([]);
    const items = await testDb.db.item.findMany({ where: { projectId: project.id } });
    expect(items).toHaveLength(16);
    for (const cls of classes) expect(items.filter((i) => i.labelClassIds[0] === cls.id)).toHaveLength(8);
    const linked = await testDb.db.generationSummary.findMany({ where: { runId: run.id, itemId: { not: null } } });
    expect(new Set(linked.map((s) => s.itemId)).size).toBe(16);
    expect(await testDb.db.annotation.count({ where: { projectId: project.id } })).toBe(16);
    const job = await jobOf(run.id);
    expect(job).toMatchObject({ state: "completed", attempts: 2 });
    expect(job.logs.some((l) => l.message === "Resuming: " + partial + " of 16 examples already stored")).toBe(true);
  });

  it("cancels a running generation before its next request and keeps what it stored", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url);
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 20, seed: 4 }, adminId);
    let requestsWhenCancelled = -1;
    let cancelling: Promise<unknown> | undefined;
    server.intercept = (r) => {
      if (!cancelling && r.task === "expanded_example") {
        cancelling = cancelGeneration(testDb.db, boss, run.id, adminId).then(
          () => (requestsWhenCancelled = server.requests.length),
        );
        return { delayMs: 300 };
      }
      return undefined;
    };
    await expect(deliver(run.id)).resolves.toEqual({ cancelled: true });
    await cancelling;
    const job = await jobOf(run.id);
    expect(job.state).toBe("cancelled");
    // Every request checks for cancellation before it is sent, so after the cancel committed at most the requests
    // already past that check (the concurrency of 2) reached the server.
    expect(server.requests.length - requestsWhenCancelled).toBeLessThanOrEqual(2);
    const stored = await testDb.db.item.count({ where: { projectId: project.id } });
    expect(stored).toBeLessThan(40);
    expect(stored).toBe(await testDb.db.generationSummary.count({ where: { runId: run.id, itemId: { not: null } } }));
  });

  it("answers a repeated run entirely from the cache: zero requests, same examples", async () => {
    const classes = [
      { name: "meow", description: `Cat sounds ${Date.now()}: meowing, purring and hissing.` },
      { name: "woof", description: `Dog sounds ${Date.now()}: barking, howling and growling.` },
    ];
    const first = await makeLlmProject(testDb.db, server.url, { classes });
    const run1 = await startGeneration(
      testDb.db,
      boss,
      { projectId: first.project.id, targetPerClass: 5, seed: 8 },
      adminId,
    );
    await deliver(run1.id);
    const paid = server.requests.length;
    expect(paid).toBeGreaterThan(0);

    server.reset();
    const second = await makeLlmProject(testDb.db, server.url, { classes });
    const run2 = await startGeneration(
      testDb.db,
      boss,
      { projectId: second.project.id, targetPerClass: 5, seed: 8 },
      adminId,
    );
    await deliver(run2.id);
    expect(server.requests).toHaveLength(0);
    const texts = async (projectId: number) =>
      (await testDb.db.item.findMany({ where: { projectId }, orderBy: { text: "asc" } })).map((i) => i.text);
    expect(await texts(second.project.id)).toEqual(await texts(first.project.id));
    expect((await getGenerationRun(testDb.db, run2.id)).requestCount).toBe(0);
    expect(
      (await jobOf(run2.id)).logs.some((l) => l.message.endsWith(`0 requests, ${paid} answered from the cache`)),
    ).toBe(true);
  });

  it("records the estimated cost when prices are configured", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url, {
      settings: { priceInputPerMTok: 2, priceOutputPerMTok: 10 },
    });
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 2, seed: 13 }, adminId);
    await deliver(run.id);
    const done = await getGenerationRun(testDb.db, run.id);
    expect(done.costUsd).toBeCloseTo((done.promptTokens * 2 + done.completionTokens * 10) / 1e6, 12);
  });

  it("fails with a clear LLM_AUTH message when the key is wrong, and never logs the key", async () => {
    const { project } = await makeLlmProject(testDb.db, keyed.url);
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 2 }, adminId);
    // Permanent: a wrong key fails the run at once instead of being retried.
    await expect(deliver(run.id)).resolves.toEqual({ failed: expect.stringMatching(/rejected the API key/) });
    expect(keyed.requests[0]!.authorization).toBe("Bearer sk-a-wrong-key-456");
    const job = await jobOf(run.id);
    expect(job.state).toBe("failed");
    expect(job.error).toMatch(/rejected the API key \(HTTP 401\); check LLM_API_KEY/);
    expect(JSON.stringify(job, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      "sk-a-wrong-key-456",
    );
  });

  it("does not send the environment's key to an endpoint a project points elsewhere", async () => {
    const { project } = await makeLlmProject(testDb.db, server.url);
    const run = await startGeneration(testDb.db, boss, { projectId: project.id, targetPerClass: 1 }, adminId);
    await deliver(run.id);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set(["Bearer not-needed"]));
  });
});
