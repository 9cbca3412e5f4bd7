/**
 * Training's read of its labeled vectors, three ways on one project, interleaved rounds, min and median of each:
 * one embedding_cache lookup per item (embedTexts), every touched vector block through readVectorBlock (its check
 * query per block, then this host's file: what readItemsVectors did until files carried content hashes), and
 * readItemsVectors now (the files' rows taken by id and content hash, no query per block). `npx tsx
 * bench/store/train-read.ts --items 1000000 --labeled 100000` (labels spread over the id range, as bench:loop loads
 * them), or `--database <name>` to reuse a database bench/loop/train-phases.ts --keep left on DATABASE_URL's server.
 * Writes bench/results/train-read.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createBenchDatabase } from "../loop/bench-database";
import { loadProject } from "../loop/load-project";
import { benchArg as arg } from "../bench-args";

const items = Number(arg("items", "1000000"));
const labeled = Number(arg("labeled", "100000"));
const rounds = Number(arg("rounds", "5"));
const reuse = arg("database");
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

if (!process.env.DATABASE_URL && reuse) throw new Error("--database needs DATABASE_URL (its server)");
let url: string;
let drop: () => Promise<void> = async () => undefined;
if (reuse) {
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${reuse}`;
  url = u.toString();
} else {
  const database = await createBenchDatabase(process.env.DATABASE_URL);
  url = database.url;
  drop = () => database.drop();
}
process.env.DATABASE_URL = url;
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
const { createDb } = await import("@/server/db");
const { createUser } = await import("@/server/domain/users/create-user");
const { loadLabeledItems } = await import("@/server/domain/training/load-labeled-items");
const { embedTexts } = await import("@/server/domain/embeddings/embed-texts");
const { readItemsVectors } = await import("@/server/domain/embeddings/read-items-vectors");
const { readVectorBlock } = await import("@/server/domain/embeddings/read-vector-block");
const { blockOf } = await import("@/server/domain/embeddings/vector-block-range");
const { getFeaturizer } = await import("@/server/featurizers/get-featurizer");
const pLimit = (await import("p-limit")).default;
const db = createDb(url, { poolSize: 8 });
try {
  const loadAtStart = load();
  const featurizerId = "glove-sif-200@1";
  let projectId: number;
  const existing = reuse ? await db.project.findFirst({ orderBy: { id: "asc" } }) : null;
  if (existing) projectId = existing.id;
  else {
    const admin = await createUser(
      db,
      { email: "bench@train-read.test", name: "Bench", password: "bench-password-123", role: "admin" },
      null,
    );
    projectId = (
      await loadProject(db, url, {
        items,
        labeled,
        fixture: path.resolve("tests/fixtures/ag-news-2000.jsonl"),
        userId: admin.id,
        featurizerId,
      })
    ).projectId;
  }
  const featurizer = await getFeaturizer(featurizerId);
  const dim = featurizer.dim;
  const { train } = await loadLabeledItems(db, projectId, { includeGenerated: true });
  const blocks = [...new Set(train.map((item) => blockOf(item.itemId)))];
  // The previous reader: every block through its check query (3 at once), the labeled rows picked out by id.
  const checkedBlocks = async () => {
    const out = new Float32Array(train.length * dim);
    const rowOf = new Map(train.map((item, r) => [item.itemId, r]));
    const limit = pLimit(3);
    await Promise.all(
      blocks.map((blockNo) =>
        limit(async () => {
          const block = (await readVectorBlock(db, featurizer, projectId, blockNo))!;
          block.ids.forEach((id, at) => {
            const r = rowOf.get(id);
            if (r !== undefined) out.set(block.X.subarray(at * dim, (at + 1) * dim), r * dim);
          });
        }),
      ),
    );
    return out;
  };
  const variants = {
    lookups: () => embedTexts(db, featurizer, train, { projectId, shared: true }),
    checked: checkedBlocks,
    byHash: () => readItemsVectors(db, featurizer, projectId, train, { shared: true }),
  };
  await variants.byHash(); // writes this host's files where they are missing or of an older format
  const times: Record<keyof typeof variants, number[]> = { lookups: [], checked: [], byHash: [] };
  let same = true;
  for (let round = 0; round < rounds; round++) {
    const results: Float32Array[] = [];
    for (const name of Object.keys(variants) as (keyof typeof variants)[]) {
      const t = performance.now();
      results.push(await variants[name]());
      times[name].push(performance.now() - t);
    }
    for (const other of results.slice(1))
      for (let i = 0; i < other.length && same; i++) same = other[i] === results[0]![i];
    console.log(
      `round ${round}: lookups ${times.lookups.at(-1)!.toFixed(0)} ms, checked blocks ${times.checked.at(-1)!.toFixed(0)} ms, by hash ${times.byHash.at(-1)!.toFixed(0)} ms (load ${load()})`,
    );
  }
  const min = (v: number[]) => Math.min(...v);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const ratios = times.checked.map((c, i) => c / times.byHash[i]!);
  const md = `# Training's read of its labeled vectors

Generated by \`npx tsx bench/store/train-read.ts\` on ${new Date().toISOString().slice(0, 16)}Z:
${train.length.toLocaleString("en")} labeled items of a ${items.toLocaleString("en")}-item project (AG News fixture texts, ${featurizerId}), spread over ${blocks.length} vector
blocks. ${os.cpus().length} cores, Node v${process.versions.node}; load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${load()} at the end.
Interleaved rounds (${rounds}); all three reads return the same floats: ${same ? "yes" : "**no**"}.

| read | min (ms) | median (ms) |
|---|---:|---:|
| one embedding_cache lookup per content hash (embedTexts) | ${min(times.lookups).toFixed(0)} | ${median(times.lookups).toFixed(0)} |
| every touched block through readVectorBlock (a check query per block, then the file; the reader before) | ${min(times.checked).toFixed(0)} | ${median(times.checked).toFixed(0)} |
| the files' rows taken by id and content hash (readItemsVectors now) | ${min(times.byHash).toFixed(0)} | ${median(times.byHash).toFixed(0)} |

Checked blocks ÷ by hash, paired by round: ${ratios.map((r) => `×${r.toFixed(1)}`).join(", ")}.
`;
  fs.writeFileSync("bench/results/train-read.md", md);
  console.log(md);
} finally {
  await db.$disconnect();
  await drop();
}
process.exit(0);
