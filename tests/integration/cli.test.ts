import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProject } from "../helpers/factories";
import { startFakeOpenAIServer } from "../helpers/fake-openai-server";
import { itemsWithLabels } from "../helpers/import-helpers";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "tests/fixtures/imports");
// The class prompts of Lamini's llm-classifier README.
const CAT_PROMPT =
  "Cats are generally more independent and aloof than dogs, who are often more social and affectionate. Cats are also more territorial and may be more aggressive when defending their territory. Cats are self-grooming animals, using their tongues to keep their coats clean and healthy. Cats use body language and vocalizations, such as meowing and purring, to communicate.";
const DOG_PROMPT =
  "Dogs are more pack-oriented and tend to be more loyal to their human family. Dogs, on the other hand, often require regular grooming from their owners, including brushing and bathing. Dogs use barking and whining to convey their messages. Dogs are also more responsive to human commands and can be trained to perform a wide range of tasks.";
let testDb: TestDatabase;
let dir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "margin-cli-"));
});
afterAll(async () => {
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs bin/margin in a child process from a temporary directory, as a user would. */
function margin(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "bin/margin"), ...args],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", MARGIN_DATA_DIR: path.join(ROOT, ".margin"), DATABASE_URL: testDb.url, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

// Each run starts tsx and loads GloVe (seconds each on a busy 2-core machine).
describe("margin CLI, end to end in a subprocess", { timeout: 300_000 }, () => {
  it("trains from prompts, examples and a Lamini file, classifies like Lamini, and evaluates", async () => {
    const model = path.join(dir, "model.json");
    const train = await margin([
      "train",
      "--class", "cat: Cats meow, purr, scratch furniture and chase mice",
      "--class", "dog: Dogs bark, wag their tails, fetch balls and go for walks",
      "--train", "cat: meow",
      "--data", path.join(FIXTURES, "lamini-examples.jsonl"),
      "--save", model,
      "-v",
    ]);
    expect(train.stderr).toContain("Training single-label classifier on 9 examples, 2 classes, featurizer glove-sif-200@1");
    expect(train.code).toBe(0);
    const saved = JSON.parse(await readFile(model, "utf8")) as { format: string; prompts: Record<string, string>; classifier: { classes: string[] } };
    expect(saved.format).toBe("margin-cli-model");
    expect(saved.classifier.classes).toEqual(["cat", "dog"]);

    const classify = await margin(["classify", "--load", model, "--json", "woof woof, let's go for a walk", "--data", "purring on the sofa, chasing a mouse"]);
    expect(classify.code).toBe(0);
    const lines = classify.stdout.trim().split("\n").map((l) => JSON.parse(l) as { data: string; prediction: string; probabilities: Record<string, number> });
    expect(lines.map((l) => [l.data, l.prediction])).toEqual([
      ["woof woof, let's go for a walk", "dog"],
      ["purring on the sofa, chasing a mouse", "cat"],
    ]);
    for (const l of lines) expect(l.probabilities.cat! + l.probabilities.dog!).toBeCloseTo(1, 5);

    const texts = path.join(dir, "texts.txt");
    await writeFile(texts, "a dog barking\n\nthe cat meows\n");
    const pretty = await margin(["classify", "--load", model, "--file", texts]);
    expect(pretty.stdout).toMatch(/^\{"data": "a dog barking",\n "prediction": "(cat|dog)",\n "probabilities": \{"cat": 0\.\d{4}, "dog": 0\.\d{4}\}\}\n\{"data": "the cat meows",/);

    const test = path.join(dir, "test.jsonl");
    await writeFile(test, ['{"text": "the dog barks at night", "label": "dog"}', '{"text": "my cat purrs", "label": "cat"}'].join("\n"));
    const evaluation = await margin(["eval", "--load", model, "--data", test]);
    expect(evaluation.code).toBe(0);
    expect(evaluation.stdout).toMatch(/^class\s+precision\s+recall\s+f1\s+support\n/);
    expect(evaluation.stdout).toMatch(/accuracy \d\.\d{3} {2}\(2 texts, 2 classes\)/);

    // Lamini's calibration step: thresholds that reach a precision on cross-validated predictions.
    const strictModel = path.join(dir, "strict.json");
    const strict = await margin(["train", "--data", path.resolve(import.meta.dirname, "../fixtures/ag-news-2000.jsonl"), "--target-precision", "0.95", "--save", strictModel]);
    expect(strict.code).toBe(0);
    const strictSaved = JSON.parse(await readFile(strictModel, "utf8")) as { classifier: { thresholdPolicy: unknown; thresholds: string } };
    expect(strictSaved.classifier.thresholdPolicy).toEqual({ kind: "target-precision", target: 0.95 });

    // A binary Emissary CSV (1/0) takes its classes from --class: 1 is the first, 0 the second.
    const emissaryModel = path.join(dir, "emissary.json");
    const emissary = await margin(["train", "--class", "cat: Cats meow and purr", "--class", "dog: Dogs bark and fetch", "--data", path.join(FIXTURES, "emissary-binary.csv"), "--save", emissaryModel, "-v"]);
    expect(emissary.stderr).toContain("emissary-binary.csv: ");
    expect(emissary.code).toBe(0);
    const fromEmissary = await margin(["classify", "--load", emissaryModel, "--json", "purring on my lap", "barking at the door"]);
    expect(fromEmissary.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { prediction: string }).prediction)).toEqual(["cat", "dog"]);
  });

  it("generates examples per class with the configured LLM (Lamini's three phases), trains on them and classifies", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const llm = { LLM_BASE_URL: server.url, LLM_CHAT_MODEL: "fake-chat", LLM_MAX_RETRIES: "0" };
      const model = path.join(dir, "generated-model.json");
      const train = await margin(["train", "--class", `cat: ${CAT_PROMPT}`, "--class", `dog: ${DOG_PROMPT}`, "--generate", "10", "--save", model, "-v"], llm);
      expect(train.stderr).toContain(`with fake-chat at ${server.url} (seed 1,`);
      expect(train.code).toBe(0);
      expect(train.stderr).toMatch(/^cat: generated 10 of 10 in \d+ round\(s\); dropped \d+/m);
      expect(train.stderr).toMatch(/^dog: generated 10 of 10 in \d+ round\(s\); dropped \d+/m);
      // 20 generated examples plus the two prompts.
      expect(train.stderr).toContain("Training single-label classifier on 22 examples, 2 classes");
      const usage = /^LLM usage: (\d+) requests, (\d+) prompt \+ (\d+) completion tokens$/m.exec(train.stderr);
      expect(Number(usage?.[1])).toBe(server.requests.length);
      expect(Number(usage?.[2])).toBeGreaterThan(0);

      const tasks = (task: string, prompt: string) => server.requests.filter((r) => r.task === task && r.user.includes(prompt)).length;
      for (const prompt of [CAT_PROMPT, DOG_PROMPT]) {
        expect(tasks("example_summaries", prompt)).toBeGreaterThanOrEqual(1);
        expect(tasks("expanded_example", prompt)).toBeGreaterThanOrEqual(10);
      }
      // Phase 2 shows summaries, not the prompt; each phase-1 answer is diversified once.
      expect(server.requests.filter((r) => r.task === "diversified_summaries").length).toBe(server.requests.filter((r) => r.task === "example_summaries").length);
      expect(new Set(server.requests.map((r) => r.body.seed)).size).toBeGreaterThan(20);

      const classify = await margin(["classify", "--load", model, "--json", "my cat purrs, meows and grooms its coat with its tongue", "--data", "the dog barks, fetches and obeys commands"]);
      expect(classify.code).toBe(0);
      const lines = classify.stdout.trim().split("\n").map((l) => JSON.parse(l) as { prediction: string });
      expect(lines.map((l) => l.prediction)).toEqual(["cat", "dog"]);
    } finally {
      await server.close();
    }
  });

  it("ends --generate with one line and exit code 1 when the LLM rejects the key, never echoing it", async () => {
    const server = await startFakeOpenAIServer({ apiKey: "sk-the-right-key-123" });
    try {
      const key = "sk-a-wrong-key-456789";
      const result = await margin(["train", "--class", "a: apples", "--class", "b: bananas", "--generate", "3", "--save", "m.json"], { LLM_BASE_URL: server.url, LLM_CHAT_MODEL: "fake-chat", LLM_API_KEY: key });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`margin: generation failed: LLM_AUTH: The LLM endpoint ${server.url} rejected the API key (HTTP 401); check LLM_API_KEY.\n`);
      expect(result.stdout + result.stderr).not.toContain(key);
      expect(server.requests.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("imports into and exports from a project by name", async () => {
    const { project } = await makeProject(testDb.db, { name: "CLI spam", classes: ["ham", "spam"] });
    const imported = await margin(["import", path.join(FIXTURES, "sms-spam-sample.csv"), "--project", "CLI spam"]);
    expect(imported.stdout).toContain('Imported 40 items into "CLI spam" (40 labeled)');
    expect(imported.code).toBe(0);
    expect((await itemsWithLabels(testDb.db, project.id)).length).toBe(40);

    const out = path.join(dir, "export.csv");
    const exported = await margin(["export", "--project", "CLI spam", "--format", "csv", "--out", out, "--classes", "spam"]);
    expect(exported.code).toBe(0);
    const csv = (await readFile(out, "utf8")).trim().split("\n");
    expect(csv[0]).toBe("id,text,label,split");
    expect(csv.slice(1).every((line) => line.includes(",spam,unassigned"))).toBe(true);

    const stdout = await margin(["export", "--project", "CLI spam", "--format", "hf-jsonl", "--human-only"]);
    expect(stdout).toMatchObject({ code: 0, stdout: "" });
  });

  it("trained from the two prompts alone, says so and claims no certainty about an unknown text", async () => {
    const model = path.join(dir, "prompts-only.json");
    const train = await margin(["train", "--class", "cat: Cats are furry and meow.", "--class", "dog: Dogs bark and wag their tails.", "--save", model]);
    expect(train.code).toBe(0);
    expect(train.stdout + train.stderr).toContain("Too little data to calibrate");
    const classify = await margin(["classify", "--load", model, "--json", "xyzzyqq"]);
    const [line] = classify.stdout.trim().split("\n").map((l) => JSON.parse(l) as { probabilities: Record<string, number> });
    expect(Math.max(...Object.values(line!.probabilities))).toBeLessThanOrEqual(0.7);
  });

  it("fails clearly with exit codes 1 (bad data) and 2 (usage)", async () => {
    const again = await margin(["import", path.join(FIXTURES, "sms-spam-sample.csv"), "--project", "CLI spam"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("line 2 (text): duplicate_text: The project already has this text");
    expect(again.stderr).toContain("margin: Import failed");

    expect((await margin(["import", "x.csv", "--project", "No such project"])).stderr).toContain('margin: No project named "No such project"');
    const bad = await margin(["train", "--data", path.join(FIXTURES, "malformed/truncated.jsonl"), "--save", "m.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 3: Not valid JSON");
    const generate = await margin(["train", "--class", "a: x", "--class", "b: y", "--save", "m.json", "--generate", "5"]);
    expect(generate.code).toBe(2);
    expect(generate.stderr).toMatch(/^margin: --generate needs an LLM: set LLM_CHAT_MODEL and either LLM_BASE_URL .* or LLM_API_KEY/);
    expect((await margin(["train", "--class", "a: x"])).code).toBe(2);
    const badTarget = await margin(["train", "--class", "a: x", "--class", "b: y", "--save", "m.json", "--target-precision", "1.5"]);
    expect(badTarget).toMatchObject({ code: 2, stderr: expect.stringContaining("must be between 0.5 and 0.999") });
    const noDb = await margin(["export", "--project", "x"], { DATABASE_URL: "" });
    expect(noDb).toMatchObject({ code: 2, stderr: expect.stringContaining("DATABASE_URL is not set") });
  });
});
