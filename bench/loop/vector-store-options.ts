/**
 * Full-pass read times of the ways to store a project's vectors, for docs/decisions/vector-blocks.md:
 * `nice -n 10 npx tsx bench/loop/vector-store-options.ts --items 1000000 [--rounds 3]`. Loads the loop benchmark's
 * project (AG News texts with noisy glove-sif-200 vectors in embedding_cache, the same generator), builds the vector
 * blocks through the embed job's code, then reads every vector of the pool once per option, options interleaved
 * round by round (minimum of the rounds reported, load average printed beside each round):
 * - join: item → embedding_cache by content hash (today's scorer and the loop's database-read floor)
 * - store cold / warm: readVectorBlock over every block, as the scorer reads it (the freshness query, then the
 *   stored rows over pg into this host's block files when they are absent (cold), or the files (warm))
 * - blocks f32 4096 / f32 1024 / f16 4096: the block rows alone over plain pg (f16 decoded to float32)
 * - file: one float32 file per project read from the page cache (the vectors alone, no freshness check)
 * --options picks a comma-separated subset by name.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createBenchDatabase } from "./bench-database";
import { databaseReadFloor } from "./floors";
import { loadProject } from "./load-project";
import { load } from "./stats";
import { benchArg as arg } from "../bench-args";

const items = Number(arg("items", "1000000"));
const rounds = Number(arg("rounds", "3"));
const only = arg("options", "join,store cold,store warm,blocks f32 4096,blocks f32 1024,blocks f16 4096,file").split(
  ",",
);
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const database = await createBenchDatabase(process.env.DATABASE_URL);
process.env.DATABASE_URL = database.url;
const { createDb } = await import("@/server/db");
const { embedProject } = await import("@/server/domain/embeddings/embed-project");
const { readVectorBlock } = await import("@/server/domain/embeddings/read-vector-block");
const { blockOf } = await import("@/server/domain/embeddings/vector-block-range");
const { removeBlockFiles } = await import("@/server/domain/embeddings/vector-block-file");
const { getFeaturizer } = await import("@/server/featurizers/get-featurizer");
const { pgPool } = await import("@/server/pg-pool");
const { float16BitsToFloat32, float32ToFloat16Bits } = await import("@/ml/float16-bits");

const db = createDb(database.url, { poolSize: 4 });
const client = new pg.Client({ connectionString: database.url });
await client.connect();
const file = path.join(os.tmpdir(), `margin-vector-store-${process.pid}.f32`);
try {
  log(`loading ${items} items`);
  const project = await loadProject(db, database.url, {
    items,
    labeled: 0,
    fixture: path.resolve("tests/fixtures/ag-news-2000.jsonl"),
    userId: "bench",
    featurizerId: "glove-sif-200@1",
  });
  const { projectId, dim } = project;
  const featurizer = await getFeaturizer(project.featurizerId);
  const noHooks = { log: async () => undefined, progress: async () => undefined, throwIfCancelled: async () => {} };
  let t = performance.now();
  await embedProject(db, { projectId }, noHooks);
  const buildSeconds = (performance.now() - t) / 1000;
  log(`built the vector blocks (embed job's code) in ${buildSeconds.toFixed(1)} s`);

  // The other layouts, derived from the production blocks.
  t = performance.now();
  const derive = only.some((o) => ["blocks f32 1024", "blocks f16 4096", "file"].includes(o));
  if (derive) {
    await client.query(`CREATE TABLE block_f16 (block_no int PRIMARY KEY, item_ids int[], vectors bytea)`);
    await client.query(`ALTER TABLE block_f16 ALTER COLUMN vectors SET STORAGE EXTERNAL`);
    await client.query(`CREATE TABLE block_1024 (block_no int PRIMARY KEY, item_ids int[], vectors bytea)`);
    await client.query(`ALTER TABLE block_1024 ALTER COLUMN vectors SET STORAGE EXTERNAL`);
    await client.query(
      `INSERT INTO block_1024 SELECT i.id / 1024, array_agg(i.id ORDER BY i.id), string_agg(e.vector, ''::bytea ORDER BY i.id)
     FROM item i JOIN embedding_cache e ON e.featurizer_id = $2 AND e.content_hash = i.content_hash
     WHERE i.project_id = $1 GROUP BY 1`,
      [projectId, featurizer.id],
    );
    const out = fs.openSync(file, "w");
    let maxError = 0;
    await eachBlock("vector_block", `WHERE project_id = ${projectId}`, async (blockNo, vectors) => {
      const x = new Float32Array(vectors.buffer.slice(vectors.byteOffset, vectors.byteOffset + vectors.byteLength));
      const half = float32ToFloat16Bits(x);
      const back = float16BitsToFloat32(half);
      for (let i = 0; i < x.length; i++)
        maxError = Math.max(maxError, Math.abs(back[i]! - x[i]!) / Math.max(Math.abs(x[i]!), 2 ** -14));
      await client.query(`INSERT INTO block_f16 (block_no, vectors) VALUES ($1, $2)`, [
        blockNo,
        Buffer.from(half.buffer),
      ]);
      fs.writeSync(out, vectors);
    });
    fs.closeSync(out);
    await client.query("ANALYZE");
    log(
      `derived layouts in ${((performance.now() - t) / 1000).toFixed(1)} s; float16 max relative error ${maxError.toExponential(2)}`,
    );
  }
  const [range] = (
    await client.query<{ lo: number; hi: number }>(`SELECT min(id) lo, max(id) hi FROM item WHERE project_id = $1`, [
      projectId,
    ])
  ).rows;
  // The scorer's read of the whole pool, one block after another (as score-item-range.ts reads them).
  const storePass = async () => {
    let bytes = 0;
    for (let b = blockOf(range!.lo); b <= blockOf(range!.hi); b++) {
      const block = await readVectorBlock(db, featurizer, projectId, b);
      bytes += block?.X.byteLength ?? 0;
    }
    return bytes;
  };
  const options: Record<string, () => Promise<number>> = {
    join: async () => (await databaseReadFloor(database.url, projectId, featurizer.id)).mb * 2 ** 20,
    "store cold": async () => {
      await removeBlockFiles(new URL(database.url).pathname.slice(1));
      return storePass();
    },
    "store warm": storePass,
    "blocks f32 4096": () => eachBlock("vector_block", `WHERE project_id = ${projectId}`, () => undefined),
    "blocks f32 1024": () => eachBlock("block_1024", "", () => undefined),
    "blocks f16 4096": () =>
      eachBlock("block_f16", "", (_, vectors) => {
        float16BitsToFloat32(
          new Uint16Array(vectors.buffer.slice(vectors.byteOffset, vectors.byteOffset + vectors.byteLength)),
        );
      }),
    file: async () => {
      const fd = fs.openSync(file, "r");
      const chunk = Buffer.alloc(4096 * dim * 4);
      let bytes = 0;
      for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) bytes += n;
      fs.closeSync(fd);
      return bytes;
    },
  };
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    const parts: string[] = [];
    for (const [name, read] of Object.entries(options).filter(([name]) => only.includes(name))) {
      const t0 = performance.now();
      const bytes = await read();
      const ms = performance.now() - t0;
      best[name] = Math.min(best[name] ?? Infinity, ms);
      parts.push(`${name} ${ms.toFixed(0)} ms (${(bytes / 2 ** 20).toFixed(0)} MB)`);
    }
    log(`round ${r + 1}, load ${load().join(" / ")}: ${parts.join("; ")}`);
  }
  log(
    `minimum of ${rounds} rounds at ${items} items × ${dim}: ${Object.entries(best)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join("; ")}`,
  );
} finally {
  fs.rmSync(file, { force: true });
  await client.end();
  await db.$disconnect();
  await pgPool().end(); // the reader's pool, before the database goes
  await database.drop();
}

/** Calls `each` with every row of a block table in block order, read over plain pg (text protocol: pg 8.23 parses every binary field as a UTF-8 string, so a bytea comes back
 * as hex and is decoded natively). */
async function eachBlock(
  table: string,
  where: string,
  each: (blockNo: number, vectors: Buffer) => Promise<void> | void,
) {
  const { rows } = await client.query<{ block_no: number }>(`SELECT block_no FROM ${table} ${where} ORDER BY block_no`);
  let bytes = 0;
  for (const { block_no } of rows) {
    const res = await client.query<{ vectors: Buffer }>({
      text: `SELECT vectors FROM ${table} ${where ? `${where} AND` : "WHERE"} block_no = $1`,
      values: [block_no],
    });
    const vectors = res.rows[0]!.vectors;
    bytes += vectors.byteLength;
    await each(block_no, vectors);
  }
  return bytes;
}
