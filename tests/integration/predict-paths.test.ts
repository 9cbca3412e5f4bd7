import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/server/database/embedded-postgres";
import { startWorker, type RunningWorker } from "@/worker/start-worker";
import { classifyCommand } from "@/cli/margin/classify-command";
import { createProgress } from "@/cli/margin/progress";
import { signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { makeProject, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "../helpers/fake-openai-server";
import { importText } from "../helpers/import-helpers";
import { createTestDatabaseWithBoss, type TestDatabase } from "../helpers/test-database";

// "openai:<model>" featurizers read the environment's endpoint: point it at the test server before anything reads env.
const llmPort = await findFreePort();
process.env.LLM_BASE_URL = `http://127.0.0.1:${llmPort}/v1`;
process.env.LLM_API_KEY = "test-key";
process.env.LLM_EMBEDDING_MODEL = "fake-embed";
process.env.LLM_MAX_RETRIES = "0";

let testDb: TestDatabase;
let server: ApiServer;
let worker: RunningWorker;
let llm: FakeOpenAIServer;

const LABELED = {
  cat: [
    "the cat purrs and meows",
    "my kitten chases mice",
    "cats sleep all day and purr",
    "a meowing cat on the sofa",
    "the kitten licks its paws",
    "a cat naps in the sun",
    "cats hunt mice at night",
    "the cat scratches the sofa",
  ],
  dog: [
    "the dog barks and wags its tail",
    "my puppy fetches the ball",
    "dogs love long walks and bark",
    "a barking dog in the park",
    "the puppy chews a bone",
    "a dog guards the house",
    "dogs fetch sticks in the park",
    "the dog howls at night",
  ],
};
// For the hybrid: classes told apart by invented words that only the n-grams see (GloVe does not know them), inside
// shared everyday words, so cross-validation keeps the n-gram block.
const FILLERS = [
  "today we saw it near the house",
  "she said it again this morning",
  "they found one by the road",
  "we talked about it at lunch",
  "it was there after the rain",
  "he wrote it down on paper",
  "you can see it from the window",
  "the kids asked about it twice",
  "nobody expected it on monday",
  "it came up during the meeting",
];
const CODED = {
  cat: FILLERS.flatMap((f, i) => [`${f} zorblax`, `the zorblax ${i} ${f}`]),
  dog: FILLERS.flatMap((f, i) => [`${f} quintaro`, `the quintaro ${i} ${f}`]),
};
const UNLABELED = [
  "a zorblax by the road",
  "one quintaro this morning",
  "a kitten purring on my lap",
  "the puppy barks at the mailman",
  "mice fear the cat",
  "a dog runs after the ball",
  "something about the weather",
  "cats and dogs living together",
];

beforeAll(async () => {
  llm = await startFakeOpenAIServer({ port: llmPort, embeddingDim: 48 });
  ({ testDb } = await createTestDatabaseWithBoss());
  server = await startApiServer();
  worker = await startWorker({
    db: testDb.db,
    connectionString: testDb.url,
    concurrency: 1,
    pollingSeconds: 0.5,
    log: () => undefined,
  });
});
afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await testDb?.drop();
  await llm?.close();
});

async function waitForJob(type: string, projectId: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await testDb.db.jobRun.findFirst({ where: { type, projectId }, orderBy: { createdAt: "desc" } });
    if (run && ["completed", "failed", "cancelled"].includes(run.state)) {
      if (run.state !== "completed") throw new Error(`${type} job ${run.state}: ${run.error}`);
      return run;
    }
    if (Date.now() > deadline) throw new Error(`${type} job did not finish`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("one predict path", () => {
  for (const featurizerId of ["glove-sif-200@1", "ngrams@1+glove-sif-200@1", "openai:fake-embed"]) {
    it(
      `playground, HTTP API, CLI and scoring give the same answers (${featurizerId})`,
      { timeout: 240_000 },
      async () => {
        const adminUser = await makeUser(testDb.db, "admin");
        const admin = await signIn(server.url, adminUser.email, TEST_PASSWORD);
        const { project } = await makeProject(testDb.db, { classes: ["cat", "dog"] });
        await testDb.db.project.update({
          where: { id: project.id },
          data: { featurizerId, testShare: 0.01, testMaxItems: 1 },
        });
        const hybrid = featurizerId.startsWith("ngrams@1+");
        const rows = [
          ...Object.entries(hybrid ? CODED : LABELED).flatMap(([label, texts]) =>
            texts.map((text) => ({ text, label })),
          ),
          ...UNLABELED.map((text) => ({ text })),
        ];
        const report = await importText(project.id, rows.map((r) => JSON.stringify(r)).join("\n"), {
          format: "jsonl",
          mapping: { text: "text", labels: "label" },
        });
        expect(report).toMatchObject({ committed: true, errorCount: 0 });

        await admin.client.models.train.mutate({ projectId: project.id });
        await waitForJob("train", project.id);
        await waitForJob("score", project.id);
        const version = await testDb.db.modelVersion.findFirstOrThrow({
          where: { projectId: project.id },
          orderBy: { number: "desc" },
        });
        expect(version.featurizerId).toBe(featurizerId);
        if (hybrid) {
          // The n-gram block is in the model (its vocabulary and weights), and scoring fed it the pool's texts.
          const artifact = version.artifact as { version: number; sparse?: { vocabulary: { size: number } } };
          expect(artifact.version).toBe(2);
          expect(artifact.sparse!.vocabulary.size).toBeGreaterThan(50);
        }

        // Playground (tRPC).
        const playground = await admin.client.models.classify.mutate({
          projectId: project.id,
          modelVersionId: version.id,
          texts: UNLABELED,
        });
        // HTTP API.
        const key = (await admin.client.apiKeys.create.mutate({ projectId: project.id, name: "paths" })).key;
        const response = await fetch(`${server.url}/api/v1/projects/${project.id}/classify`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ texts: UNLABELED, version: version.number }),
        });
        expect(response.status).toBe(200);
        const api = (await response.json()) as {
          classes: string[];
          predictions: { prediction: string; probabilities: Record<string, number> }[];
        };
        // One answer shape: the playground gets exactly what the HTTP API sends.
        expect(playground).toEqual(api);
        // CLI, on the version's artifact saved as a model file.
        const dir = await mkdtemp(path.join(os.tmpdir(), "margin-paths-"));
        await writeFile(path.join(dir, "model.json"), JSON.stringify(version.artifact));
        const lines: string[] = [];
        await classifyCommand(
          UNLABELED,
          { load: path.join(dir, "model.json"), json: true },
          (line) => lines.push(line),
          createProgress(process.stderr, { quiet: true }),
        );
        const cli = lines.map(
          (line) => JSON.parse(line) as { data: string; prediction: string; probabilities: Record<string, number> },
        );
        // Scoring: the predictions the worker stored for the pool's items.
        const items = await testDb.db.item.findMany({
          where: { projectId: project.id, text: { in: UNLABELED } },
        });
        const stored = await testDb.db.prediction.findMany({
          where: { modelVersionId: version.id, itemId: { in: items.map((i) => i.id) } },
        });
        const classes = await testDb.db.labelClass.findMany({ where: { projectId: project.id } });
        const nameOf = new Map(classes.map((c) => [c.id, c.name]));
        const scored = new Map(
          items.map((item) => {
            const p = stored.find((s) => s.itemId === item.id)!;
            const proba = new Float32Array(Uint8Array.from(p.probabilities).buffer);
            return [item.text, { prediction: nameOf.get(p.predictedClassIds[0]!)!, proba: Array.from(proba) }];
          }),
        );

        expect(api.classes).toEqual(["cat", "dog"]);
        UNLABELED.forEach((text, i) => {
          const fromPlayground = playground.predictions[i]!;
          const fromApi = api.predictions[i]!;
          const fromCli = cli[i]!;
          const fromScoring = scored.get(text)!;
          expect(fromCli.data).toBe(text);
          const answers = [fromPlayground.prediction, fromApi.prediction, fromCli.prediction, fromScoring.prediction];
          expect(new Set(answers).size, `${text}: ${answers.join(" / ")}`).toBe(1);
          for (const [k, name] of api.classes.entries()) {
            const reference = fromPlayground.probabilities[name]!;
            expect(fromApi.probabilities[name]).toBeCloseTo(reference, 5);
            expect(fromCli.probabilities[name]).toBeCloseTo(reference, 5);
            expect(fromScoring.proba[k]).toBeCloseTo(reference, 5);
          }
        });
        if (hybrid) {
          expect(playground.predictions[UNLABELED.indexOf("a zorblax by the road")]!.prediction).toBe("cat");
          expect(playground.predictions[UNLABELED.indexOf("one quintaro this morning")]!.prediction).toBe("dog");
        } else if (featurizerId.startsWith("openai:")) {
          // The vectors came from the endpoint (the test server's hashed bag of words is too crude to judge accuracy on).
          expect(llm.requests.some((r) => r.path.endsWith("/embeddings"))).toBe(true);
        } else {
          expect(playground.predictions[2]!.prediction).toBe("cat");
          expect(playground.predictions[3]!.prediction).toBe("dog");
        }
      },
    );
  }
});
