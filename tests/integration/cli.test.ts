import { execFile, execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
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
// What the CLI must never change in the checkout: tracked and untracked files, and the web app's build.
const BUILD_ID = path.join(ROOT, ".next/BUILD_ID");
const gitStatus = () =>
  execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" });
let statusBefore: string;
let buildBefore: number | undefined;

beforeAll(async () => {
  statusBefore = gitStatus();
  buildBefore = existsSync(BUILD_ID) ? statSync(BUILD_ID).mtimeMs : undefined;
  testDb = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "margin-cli-"));
});
afterAll(async () => {
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      // No MARGIN_DATA_DIR: caches go to the user's cache folder (HOME), as for anyone running the CLI.
      {
        cwd: options.cwd ?? dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: "test",
          DATABASE_URL: testDb.url,
          ...options.env,
        },
        timeout: 240_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs bin/margin in a child process from a temporary folder outside the repository, as a user would. */
function margin(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
  return run(process.execPath, [path.join(ROOT, "bin/margin"), ...args], { cwd, env });
}

const jsonLines = <T>(stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as T);

// Each run starts tsx and loads GloVe (seconds each on a busy 2-core machine).
describe("margin CLI, end to end in a subprocess", { timeout: 300_000 }, () => {
  it("trains from prompts, examples and a Lamini file, classifies like Lamini, and evaluates", async () => {
    const model = path.join(dir, "model.json");
    const train = await margin([
      "train",
      "--class",
      "cat: Cats meow, purr, scratch furniture and chase mice",
      "--class",
      "dog: Dogs bark, wag their tails, fetch balls and go for walks",
      "--train",
      "cat: meow",
      "--data",
      path.join(FIXTURES, "lamini-examples.jsonl"),
      "--save",
      model,
      "-v",
    ]);
    expect(train.stderr).toContain(
      "Training single-label classifier on 9 examples, 2 classes, featurizer ngrams@1+glove-sif-200@1",
    );
    // -v prints each detail once.
    const trainLines = train.stderr.trim().split("\n");
    expect(trainLines.filter((l) => l.startsWith("Training single-label"))).toHaveLength(1);
    expect(train.code).toBe(0);
    const saved = JSON.parse(await readFile(model, "utf8")) as {
      format: string;
      prompts: Record<string, string>;
      classifier: { classes: string[] };
    };
    expect(saved.format).toBe("margin-cli-model");
    expect(saved.classifier.classes).toEqual(["cat", "dog"]);

    // Printed in the order given, whether texts come positionally, after --data or both (--data takes a list).
    const classify = await margin([
      "classify",
      "--load",
      model,
      "--json",
      "woof woof, let's go for a walk",
      "--data",
      "purring on the sofa, chasing a mouse",
      "a dog fetching a stick",
    ]);
    expect(classify.code).toBe(0);
    const lines = jsonLines<{ data: string; prediction: string; probabilities: Record<string, number> }>(
      classify.stdout,
    );
    expect(lines.map((l) => [l.data, l.prediction])).toEqual([
      ["woof woof, let's go for a walk", "dog"],
      ["purring on the sofa, chasing a mouse", "cat"],
      ["a dog fetching a stick", "dog"],
    ]);
    const reordered = await margin([
      "classify",
      "--load",
      model,
      "--json",
      "--data",
      "a cat",
      "a dog",
      "--",
      "-a fish-",
    ]);
    expect(jsonLines<{ data: string }>(reordered.stdout).map((l) => l.data)).toEqual(["a cat", "a dog", "-a fish-"]);
    for (const l of lines) expect(l.probabilities.cat! + l.probabilities.dog!).toBeCloseTo(1, 5);

    const texts = path.join(dir, "texts.txt");
    await writeFile(texts, "a dog barking\n\nthe cat meows\n");
    const pretty = await margin(["classify", "--load", model, "--file", texts]);
    expect(pretty.stdout).toMatch(
      /^\{"data": "a dog barking",\n "prediction": "(cat|dog)",\n "probabilities": \{"cat": 0\.\d{4}, "dog": 0\.\d{4}\}\}\n\{"data": "the cat meows",/,
    );

    const test = path.join(dir, "test.jsonl");
    await writeFile(
      test,
      ['{"text": "the dog barks at night", "label": "dog"}', '{"text": "my cat purrs", "label": "cat"}'].join("\n"),
    );
    const evaluation = await margin(["eval", "--load", model, "--data", test]);
    expect(evaluation.code).toBe(0);
    expect(evaluation.stdout).toMatch(/^class\s+precision\s+recall\s+f1\s+support\n/);
    expect(evaluation.stdout).toMatch(/accuracy \d\.\d{3} \(95% CI \d\.\d{3}–\d\.\d{3}\) {2}\(2 texts, 2 classes\)/);
    expect(evaluation.stdout).toContain("unsure 0 (the model has no thresholds");

    // A binary Emissary CSV (1/0) takes its classes from --class: 1 is the first, 0 the second.
    const emissaryModel = path.join(dir, "emissary.json");
    const emissary = await margin([
      "train",
      "--class",
      "cat: Cats meow and purr",
      "--class",
      "dog: Dogs bark and fetch",
      "--data",
      path.join(FIXTURES, "emissary-binary.csv"),
      "--save",
      emissaryModel,
      "-v",
    ]);
    expect(emissary.stderr).toContain("emissary-binary.csv: ");
    expect(emissary.code).toBe(0);
    const fromEmissary = await margin([
      "classify",
      "--load",
      emissaryModel,
      "--json",
      "purring on my lap",
      "barking at the door",
    ]);
    expect(
      fromEmissary.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { prediction: string }).prediction),
    ).toEqual(["cat", "dog"]);
  });

  it("thresholds apply offline: train into a new folder through npm from the caller's folder, classify says unsure, eval reports the unsure share", async () => {
    // Lamini's calibration step: thresholds that reach a precision on cross-validated predictions. Run as
    // `npm run margin` from a folder outside the checkout: relative paths are the caller's (npm's INIT_CWD).
    const work = path.join(dir, "caller");
    await mkdir(work);
    const agNews = (await readFile(path.join(ROOT, "tests/fixtures/ag-news-2000.jsonl"), "utf8")).trim().split("\n");
    await writeFile(path.join(work, "train.jsonl"), agNews.slice(0, 1600).join("\n"));
    await writeFile(path.join(work, "test.jsonl"), agNews.slice(1600).join("\n"));
    const train = await run(
      "npm",
      [
        "--prefix",
        ROOT,
        "run",
        "--silent",
        "margin",
        "--",
        "train",
        "--data",
        "train.jsonl",
        "--target-precision",
        "0.95",
        "--save",
        "models/new/strict.json",
      ],
      { cwd: work },
    );
    expect(train.stderr).toContain("Saved models/new/strict.json");
    expect(train.code).toBe(0);
    // Progress on a non-TTY stderr: plain lines, per phase.
    expect(train.stderr).toContain("loading the featurizer ngrams@1+glove-sif-200@1…\n");
    expect(train.stderr).toContain("embedding: 1,600/1,600 texts (100%)\n");
    expect(train.stderr).toContain("training on 1,600 examples…\n");
    // The default hybrid chooses its regularization by cross-validation first; the final fit is always the last one.
    expect(train.stderr).toMatch(/training: final fit on all examples: (\d+)\/\1 fits \(100%\)\n/);
    const saved = JSON.parse(await readFile(path.join(work, "models/new/strict.json"), "utf8")) as {
      classifier: { thresholdPolicy: unknown };
    };
    expect(saved.classifier.thresholdPolicy).toEqual({ kind: "target-precision", target: 0.95 });

    const texts = agNews.slice(1600).map((l) => (JSON.parse(l) as { text: string }).text);
    await writeFile(path.join(work, "test.txt"), texts.join("\n"));
    const classify = await margin(
      ["classify", "--load", "models/new/strict.json", "--file", "test.txt", "--json"],
      {},
      work,
    );
    expect(classify.code).toBe(0);
    const predictions = jsonLines<{ data: string; prediction: string; unsure: boolean }>(classify.stdout);
    expect(predictions).toHaveLength(400);
    const unsure = predictions.filter((p) => p.unsure).length;
    // A 0.95 precision target on a ~88%-accurate model leaves some texts undecided, but not all.
    expect(unsure).toBeGreaterThan(0);
    expect(unsure).toBeLessThan(400);
    const pretty = await margin(
      [
        "classify",
        "--load",
        "models/new/strict.json",
        ...predictions
          .filter((p) => p.unsure)
          .slice(0, 1)
          .map((p) => p.data),
      ],
      {},
      work,
    );
    expect(pretty.stdout).toMatch(/^\{"data": .*,\n "prediction": "[^"]+",\n "unsure": true,\n "probabilities": \{/);

    // eval decides with the same rule: the same texts are unsure, and the metrics on the decided ones are reported.
    const evaluation = await margin(
      ["eval", "--load", "models/new/strict.json", "--data", "test.jsonl", "--json"],
      {},
      work,
    );
    expect(evaluation.code).toBe(0);
    const report = JSON.parse(evaluation.stdout) as {
      n: number;
      accuracy: number;
      unsure: number;
      unsureRate: number;
      decided: { n: number; accuracy: number };
    };
    expect(report).toMatchObject({ n: 400, unsure, decided: { n: 400 - unsure } });
    expect(report.unsureRate).toBeCloseTo(unsure / 400, 10);
    // Thresholds chosen for precision: the decided texts are classified more accurately than all of them.
    expect(report.decided.accuracy).toBeGreaterThan(report.accuracy);
    const table = await margin(["eval", "--load", "models/new/strict.json", "--data", "test.jsonl"], {}, work);
    expect(table.stdout).toContain(`unsure ${unsure} of 400 texts (${((100 * unsure) / 400).toFixed(1)}%)`);
    expect(table.stdout).toMatch(new RegExp(`^decided ${400 - unsure} texts: accuracy \\d\\.\\d{3} \\(95% CI`, "m"));
    expect(table.stderr).toContain("embedding: 400/400 texts (100%)");
    const quiet = await margin(
      ["eval", "--load", "models/new/strict.json", "--data", "test.jsonl", "--quiet"],
      {},
      work,
    );
    expect(quiet).toMatchObject({ code: 0, stderr: "", stdout: table.stdout });

    // Nothing was written into the caller's folder but what was asked for (no cache copy).
    expect((await readdir(work)).sort()).toEqual(["models", "test.jsonl", "test.txt", "train.jsonl"]);
  });

  it("evaluates a multi-label model: every label decided by its threshold, no unsure share", async () => {
    const goEmotions = path.join(FIXTURES, "goemotions-sample.jsonl");
    const train = await margin(["train", "--data", goEmotions, "--save", "multi/m.json", "-q"]);
    expect(train.code).toBe(0);
    const evaluation = await margin(["eval", "--load", "multi/m.json", "--data", goEmotions]);
    expect(evaluation.code).toBe(0);
    expect(evaluation.stdout).toMatch(
      /^subset accuracy \d\.\d{3} {2}hamming loss \d\.\d{3} {2}\(40 texts, \d+ labels\)$/m,
    );
    expect(evaluation.stdout).toContain('there is no "unsure"');
    const [line] = jsonLines<{ prediction: unknown; unsure?: boolean }>(
      (await margin(["classify", "--load", "multi/m.json", "--json", "thank you so much"])).stdout,
    );
    expect(Array.isArray(line!.prediction)).toBe(true);
    expect(line!.unsure).toBeUndefined();
  });

  it("checks --save before training: creates folders, refuses an unwritable place at once", async () => {
    await writeFile(path.join(dir, "a-file"), "");
    const inFile = await margin(["train", "--class", "a: x", "--class", "b: y", "--save", "a-file/m.json"]);
    expect(inFile.code).toBe(2);
    expect(inFile.stderr).toMatch(
      /^margin: --save a-file\/m\.json: cannot create the folder .*a-file: (EEXIST|ENOTDIR)\n$/,
    );
    const folder = await margin(["train", "--class", "a: x", "--class", "b: y", "--save", "."]);
    expect(folder).toMatchObject({ code: 2, stderr: expect.stringContaining("is a folder") });
    // Too long for the default limit; --max-text-length raises it for train as for import.
    await writeFile(
      path.join(dir, "long.jsonl"),
      [JSON.stringify({ text: "x".repeat(100_001), label: "a" }), JSON.stringify({ text: "short", label: "b" })].join(
        "\n",
      ),
    );
    const long = await margin(["train", "--data", "long.jsonl", "--save", "long.json", "--quiet"]);
    expect(long.code).toBe(1);
    expect(long.stderr).toContain("line 1 (text): ");
    const raised = await margin([
      "train",
      "--data",
      "long.jsonl",
      "--save",
      "long.json",
      "--quiet",
      "--max-text-length",
      "200000",
    ]);
    expect(raised.code).toBe(0);
  });

  it("generates examples per class with the configured LLM (Lamini's three phases), trains on them and classifies", async () => {
    const server = await startFakeOpenAIServer();
    try {
      const llm = { LLM_BASE_URL: server.url, LLM_CHAT_MODEL: "fake-chat", LLM_MAX_RETRIES: "0" };
      const model = path.join(dir, "generated/model.json");
      const train = await margin(
        [
          "train",
          "--class",
          `cat: ${CAT_PROMPT}`,
          "--class",
          `dog: ${DOG_PROMPT}`,
          "--generate",
          "10",
          "--save",
          model,
          "-v",
        ],
        llm,
      );
      expect(train.stderr).toContain(`with fake-chat at ${server.url} (seed 1,`);
      expect(train.code).toBe(0);
      // Progress per kept example on a non-TTY, and -v prints every event once.
      expect(train.stderr).toContain("generating 10 per class: 20/20 examples (100%)\n");
      const details = train.stderr.split("\n").filter((l) => l.startsWith("  "));
      expect(details.some((l) => / dropped "/.test(l)) || details.some((l) => /: round 1: /.test(l))).toBe(true);
      expect(new Set(details).size).toBe(details.length);
      // What was generated is kept beside the model, in Lamini's examples.jsonl shape, and the model says so.
      const examplesFile = path.join(dir, "generated/model.examples.jsonl");
      const kept = jsonLines<{ class_name: string; examples: string[] }>(await readFile(examplesFile, "utf8"));
      expect(kept.map((k) => [k.class_name, k.examples.length])).toEqual([
        ["cat", 10],
        ["dog", 10],
      ]);
      const savedModel = JSON.parse(await readFile(model, "utf8")) as { examples: unknown };
      expect(savedModel.examples).toEqual({
        source: "generated",
        file: examplesFile,
        perClass: { cat: 10, dog: 10 },
        llm: { model: "fake-chat", endpoint: server.url, seed: 1, requested: 10, requests: server.requests.length },
      });
      const paidFor = server.requests.length;

      // Reusing them asks the LLM nothing, even with one configured, and trains on the same 22 examples.
      const reused = await margin(
        [
          "train",
          "--class",
          `cat: ${CAT_PROMPT}`,
          "--class",
          `dog: ${DOG_PROMPT}`,
          "--examples",
          examplesFile,
          "--save",
          "generated/again.json",
          "-v",
        ],
        llm,
      );
      expect(reused.code).toBe(0);
      expect(server.requests.length).toBe(paidFor);
      expect(reused.stderr).toContain("Training single-label classifier on 22 examples, 2 classes");
      expect(
        (JSON.parse(await readFile(path.join(dir, "generated/again.json"), "utf8")) as { examples: unknown }).examples,
      ).toEqual({ source: "examples-file", file: examplesFile, perClass: { cat: 10, dog: 10 } });
      const both = await margin(
        [
          "train",
          "--class",
          "a: x",
          "--class",
          "b: y",
          "--examples",
          examplesFile,
          "--generate",
          "3",
          "--save",
          "m.json",
        ],
        llm,
      );
      expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining("give it or --generate, not both") });
      const orphan = await margin(
        ["train", "--class", "a: x", "--class", "b: y", "--save-examples", "e.jsonl", "--save", "m.json"],
        llm,
      );
      expect(orphan).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("--save-examples keeps what --generate makes"),
      });
      // An explicit --save-examples path (in a folder that does not exist yet) instead of the default.
      const named = await margin(
        [
          "train",
          "--class",
          "a: apples and pears",
          "--class",
          "b: buses and trains",
          "--generate",
          "2",
          "--save-examples",
          "kept/ab.jsonl",
          "--save",
          "ab.json",
          "-q",
        ],
        llm,
      );
      expect(named.code).toBe(0);
      expect(
        jsonLines<{ class_name: string; examples: string[] }>(
          await readFile(path.join(dir, "kept/ab.jsonl"), "utf8"),
        ).map((k) => [k.class_name, k.examples.length]),
      ).toEqual([
        ["a", 2],
        ["b", 2],
      ]);
      expect(named.stderr).toContain(`Saved the generated examples to ${path.join(dir, "kept/ab.jsonl")}`);
      expect(train.stderr).toMatch(/^cat: generated 10 of 10 in \d+ round\(s\); dropped \d+/m);
      expect(train.stderr).toMatch(/^dog: generated 10 of 10 in \d+ round\(s\); dropped \d+/m);
      // 20 generated examples plus the two prompts.
      expect(train.stderr).toContain("Training single-label classifier on 22 examples, 2 classes");
      const usage = /^LLM usage: (\d+) requests, (\d+) prompt \+ (\d+) completion tokens$/m.exec(train.stderr);
      expect(Number(usage?.[1])).toBe(paidFor);
      expect(Number(usage?.[2])).toBeGreaterThan(0);

      const tasks = (task: string, prompt: string) =>
        server.requests.filter((r) => r.task === task && r.user.includes(prompt)).length;
      for (const prompt of [CAT_PROMPT, DOG_PROMPT]) {
        expect(tasks("example_summaries", prompt)).toBeGreaterThanOrEqual(1);
        expect(tasks("expanded_example", prompt)).toBeGreaterThanOrEqual(10);
      }
      // Phase 2 shows summaries, not the prompt; each phase-1 answer is diversified once.
      expect(server.requests.filter((r) => r.task === "diversified_summaries").length).toBe(
        server.requests.filter((r) => r.task === "example_summaries").length,
      );
      expect(new Set(server.requests.map((r) => r.body.seed)).size).toBeGreaterThan(20);

      const classify = await margin([
        "classify",
        "--load",
        model,
        "--json",
        "my cat purrs, meows and grooms its coat with its tongue",
        "--data",
        "the dog barks, fetches and obeys commands",
      ]);
      expect(classify.code).toBe(0);
      const lines = classify.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { prediction: string });
      expect(lines.map((l) => l.prediction)).toEqual(["cat", "dog"]);
    } finally {
      await server.close();
    }
  });

  it("ends --generate with one line and exit code 1 when the LLM rejects the key, never echoing it", async () => {
    const server = await startFakeOpenAIServer({ apiKey: "sk-the-right-key-123" });
    try {
      const key = "sk-a-wrong-key-456789";
      const result = await margin(
        ["train", "--class", "a: apples", "--class", "b: bananas", "--generate", "3", "--save", "m.json", "--quiet"],
        { LLM_BASE_URL: server.url, LLM_CHAT_MODEL: "fake-chat", LLM_API_KEY: key },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `margin: generation failed: LLM_AUTH: The LLM endpoint ${server.url} rejected the API key (HTTP 401); check LLM_API_KEY.\n`,
      );
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
    // Progress on stderr (bytes read, then the phases); stdout keeps the report only.
    expect(imported.stderr).toMatch(/^importing sms-spam-sample\.csv: [\d,]+\/[\d,]+ bytes \(100%\)$/m);
    expect(imported.stderr).toContain('validating sms-spam-sample.csv against "CLI spam"…\n');
    expect(imported.stdout).not.toContain("bytes");
    expect((await itemsWithLabels(testDb.db, project.id)).length).toBe(40);

    const out = path.join(dir, "export.csv");
    const exported = await margin([
      "export",
      "--project",
      "CLI spam",
      "--format",
      "csv",
      "--out",
      out,
      "--classes",
      "spam",
    ]);
    expect(exported.code).toBe(0);
    const csv = (await readFile(out, "utf8")).trim().split("\n");
    expect(csv[0]).toBe("id,text,label,split");
    expect(csv.slice(1).every((line) => line.includes(",spam,unassigned"))).toBe(true);

    const stdout = await margin(["export", "--project", "CLI spam", "--format", "hf-jsonl", "--human-only"]);
    expect(stdout).toMatchObject({ code: 0, stdout: "" });
  });

  it("trained from the two prompts alone, says so and claims no certainty about an unknown text", async () => {
    const model = path.join(dir, "prompts-only.json");
    const train = await margin([
      "train",
      "--class",
      "cat: Cats are furry and meow.",
      "--class",
      "dog: Dogs bark and wag their tails.",
      "--save",
      model,
    ]);
    expect(train.code).toBe(0);
    expect(train.stdout + train.stderr).toContain("Too little data to calibrate");
    const classify = await margin(["classify", "--load", model, "--json", "xyzzyqq"]);
    const [line] = classify.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { probabilities: Record<string, number> });
    expect(Math.max(...Object.values(line!.probabilities))).toBeLessThanOrEqual(0.7);
  });

  it("fails clearly with exit codes 1 (bad data) and 2 (usage)", async () => {
    const again = await margin(["import", path.join(FIXTURES, "sms-spam-sample.csv"), "--project", "CLI spam"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain("line 2 (text): duplicate_text: The project already has this text");
    expect(again.stderr).toContain("margin: Import failed");

    expect((await margin(["import", "x.csv", "--project", "No such project"])).stderr).toContain(
      'margin: No project named "No such project"',
    );
    // A Lamini line holds a class's every example: each duplicate names its text, not only "line 1 (examples)".
    await makeProject(testDb.db, { name: "CLI lamini", classes: ["cat", "dog"] });
    const lamini = path.join(FIXTURES, "lamini-examples.jsonl");
    expect((await margin(["import", lamini, "--project", "CLI lamini", "-q"])).code).toBe(0);
    const twice = await margin(["import", lamini, "--project", "CLI lamini", "-q"]);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toMatch(
      /^ {2}line 1 \(examples\): duplicate_text: The project already has this text \(item #\d+\): "meow"$/m,
    );
    expect(twice.stdout).toMatch(
      /^ {2}line 2 \(examples\): duplicate_text: The project already has this text \(item #\d+\): "woof"$/m,
    );
    const unknownClass = await margin(["import", lamini, "--project", "CLI spam", "--dry-run", "-q"]);
    expect(unknownClass.stdout).toContain("CLI: --create-classes");
    const bad = await margin(["train", "--data", path.join(FIXTURES, "malformed/truncated.jsonl"), "--save", "m.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 3: Not valid JSON");
    const generate = await margin([
      "train",
      "--class",
      "a: x",
      "--class",
      "b: y",
      "--save",
      "m.json",
      "--generate",
      "5",
    ]);
    expect(generate.code).toBe(2);
    expect(generate.stderr).toMatch(
      /^margin: --generate needs an LLM: set LLM_CHAT_MODEL and either LLM_BASE_URL .* or LLM_API_KEY/,
    );
    expect((await margin(["train", "--class", "a: x"])).code).toBe(2);
    const badTarget = await margin([
      "train",
      "--class",
      "a: x",
      "--class",
      "b: y",
      "--save",
      "m.json",
      "--target-precision",
      "1.5",
    ]);
    expect(badTarget).toMatchObject({ code: 2, stderr: expect.stringContaining("must be between 0.5 and 0.999") });
    const state = path.join(dir, "state");
    const noDb = await margin(["export", "--project", "x"], { DATABASE_URL: "", MARGIN_DATA_DIR: state });
    expect(noDb).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("DATABASE_URL is not set and no embedded database is running"),
    });
    expect(noDb.stderr).toContain("npm start");
  });

  it("without DATABASE_URL, reaches the database whose URL `npm start` left in .margin/database-url", async () => {
    const state = path.join(dir, "npm-start-state");
    await mkdir(state);
    await writeFile(path.join(state, "database-url"), `${testDb.url}\n`);
    const exported = await margin(["export", "--project", "CLI spam", "--format", "text"], {
      DATABASE_URL: "",
      MARGIN_DATA_DIR: state,
    });
    expect(exported.code).toBe(0);
    expect(exported.stdout.trim().split("\n")).toHaveLength(40);
    expect(exported.stderr).toMatch(/^exporting "CLI spam" as text: [\d,]+ bytes\n/);
    // A file left behind by a killed `npm start` names the problem instead of a bare ECONNREFUSED.
    await writeFile(path.join(state, "database-url"), "postgresql://postgres@127.0.0.1:1/margin\n");
    const stale = await margin(["export", "--project", "CLI spam"], { DATABASE_URL: "", MARGIN_DATA_DIR: state });
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(
      /^margin: cannot connect to the embedded database of `npm start` \(postgresql:\/\/postgres@127\.0\.0\.1:1\/margin, from .*\): ECONNREFUSED; is `npm start` still running\?/,
    );
  });

  it("installs as a `margin` command (npm install -g from the checkout, as `npm link` does) that runs from anywhere", async () => {
    const prefix = path.join(dir, "global");
    const install = await run("npm", ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", ROOT]);
    expect(install.code).toBe(0);
    const model = path.join(dir, "model.json");
    const result = await run(path.join(prefix, "bin/margin"), ["classify", "--load", model, "--json", "meow"]);
    expect(result.code).toBe(0);
    expect(jsonLines<{ prediction: string }>(result.stdout)[0]!.prediction).toBe("cat");
  });

  // Last: every run above (bin/margin, npm run margin, the global install) left the checkout as it was.
  it("never modified the checkout or the web app's build", () => {
    expect(gitStatus()).toBe(statusBefore);
    expect(existsSync(BUILD_ID) ? statSync(BUILD_ID).mtimeMs : undefined).toBe(buildBefore);
  });
});
