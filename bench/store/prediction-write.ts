/**
 * Write cost of a full re-score's predictions, for docs/decisions/prediction-store.md:
 * `nice -n 5 npx tsx bench/store/prediction-write.ts --items 1000000 [--rounds 3] [--sample 200000]`.
 * A fresh database (DATABASE_URL's server, or an embedded one) with one project of `--items` synthetic items, then per
 * round, variants interleaved, load average printed beside each:
 * - rows, old table: insertPredictions' statement (4,096 rows per statement) into a table shaped like the
 *   prediction table before the store (primary key, four secondary indexes, three foreign keys), `--sample` rows,
 *   reported per row and extrapolated to the pool
 * - rows, partition: the same statement into a ranked version's partition (the catch-up path: keys and indexes,
 *   no foreign keys), `--sample` rows
 * - load + attach: the full scoring's path, every item by COPY in 4,096-row transactions into the load table with
 *   their range markers, then attachLoadedPredictions (indexes built once, attached, ranked_at set)
 * - load unlogged + set logged + attach: the same with the load table UNLOGGED (no WAL while loading) and made
 *   LOGGED before the attach (a logged partition must survive a crash), to see whether skipping the WAL pays
 * `--variants` picks a comma-separated subset by name. Minimum over rounds reported. K = 4 classes, as the loop
 * benchmark's AG News project.
 */
import pg from "pg";
import { createBenchDatabase } from "../loop/bench-database";
import { load } from "../loop/stats";
import { benchArg as arg } from "../bench-args";

const items = Number(arg("items", "1000000"));
const rounds = Number(arg("rounds", "3"));
const sample = Math.min(items, Number(arg("sample", "200000")));
const BATCH = 4096;
const K = 4;
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const database = await createBenchDatabase(process.env.DATABASE_URL);
process.env.DATABASE_URL = database.url;
const { createDb } = await import("@/server/db");
const { classIdsLiteral, insertPredictions } = await import("@/server/domain/scoring/insert-predictions");
const { attachLoadedPredictions, ensureVersionPartition } =
  await import("@/server/domain/scoring/prediction-partitions");
const { loadPredictions } = await import("@/server/domain/scoring/load-predictions");
const { createPgPool } = await import("@/server/pg-pool");
const db = createDb(database.url, { poolSize: 4 });
const pool = createPgPool(database.url, 2);
const client = new pg.Client({ connectionString: database.url });
await client.connect();
try {
  log(`server ${database.server}; loading ${items} items`);
  const project = await db.project.create({ data: { name: "store bench", featurizerId: "glove-sif-200@1" } });
  await client.query(
    `INSERT INTO item (project_id, text, content_hash)
     SELECT $1, 'text ' || g, md5(g::text) FROM generate_series(1, $2) g`,
    [project.id, items],
  );
  const ids = Int32Array.from(
    (await client.query<{ id: number }>(`SELECT id FROM item WHERE project_id = $1 ORDER BY id`, [project.id])).rows,
    (r) => r.id,
  );
  await client.query("ANALYZE");
  // The prediction table as it was before the store (prisma/migrations/*_init and *_items_table_indexes).
  await client.query(`
    CREATE TABLE prediction_old (LIKE prediction);
    ALTER TABLE prediction_old ADD PRIMARY KEY (model_version_id, item_id);
    CREATE INDEX ON prediction_old (model_version_id, priority DESC);
    CREATE INDEX ON prediction_old (model_version_id, mislabel_score DESC);
    CREATE INDEX ON prediction_old (model_version_id, uncertainty, item_id);
    CREATE INDEX ON prediction_old (item_id);
    ALTER TABLE prediction_old ADD FOREIGN KEY (model_version_id) REFERENCES model_version(id) ON DELETE CASCADE;
    ALTER TABLE prediction_old ADD FOREIGN KEY (item_id) REFERENCES item(id) ON DELETE CASCADE;
    ALTER TABLE prediction_old ADD FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE;`);

  let number = 0;
  const newVersion = () =>
    db.modelVersion.create({
      data: { projectId: project.id, number: ++number, featurizerId: "glove-sif-200@1", status: "ready" },
    });
  // Deterministic pseudo-random batch (the scorer's arrays for rows [from, from + n)).
  const batchOf = (modelVersionId: number, from: number, n: number) => {
    const proba = new Float32Array(n * K);
    const confidence = new Float32Array(n);
    const uncertainty = new Float32Array(n);
    const priority = new Float32Array(n);
    const mislabel = new Float32Array(n).fill(-1);
    const predicted: number[][] = [];
    for (let i = 0; i < n; i++) {
      const x = ((from + i) * 2654435761) % 2 ** 32;
      for (let k = 0; k < K; k++) proba[i * K + k] = ((x >>> (k * 8)) & 255) / 1020;
      confidence[i] = proba[i * K]!;
      uncertainty[i] = (x & 1023) / 1023;
      priority[i] = 1 - uncertainty[i]!;
      if (i % 50 === 0) mislabel[i] = uncertainty[i]!;
      predicted.push([x % K]);
    }
    return {
      modelVersionId,
      projectId: project.id,
      K,
      itemIds: ids.subarray(from, from + n),
      proba,
      predicted,
      confidence,
      uncertainty,
      priority,
      mislabel,
    };
  };

  const variants: Record<string, () => Promise<Record<string, number>>> = {
    "rows, old table": async () => {
      const v = await newVersion();
      const t = performance.now();
      for (let from = 0; from < sample; from += BATCH) {
        const b = batchOf(v.id, from, Math.min(BATCH, sample - from));
        await db.$executeRawUnsafe(
          insertSql("prediction_old"),
          b.modelVersionId,
          Array.from(b.itemIds),
          b.projectId,
          Buffer.from(b.proba.buffer),
          K * 4,
          b.predicted.map(classIdsLiteral),
          Array.from(b.confidence),
          Array.from(b.uncertainty),
          Array.from(b.priority),
          Array.from(b.mislabel),
        );
      }
      const s = (performance.now() - t) / 1000;
      await client.query(`TRUNCATE prediction_old`);
      return { seconds: s, usPerRow: (s / sample) * 1e6, pool: (s / sample) * items };
    },
    "rows, partition": async () => {
      const v = await newVersion();
      await ensureVersionPartition(db, v.id);
      const t = performance.now();
      for (let from = 0; from < sample; from += BATCH)
        await insertPredictions(db, batchOf(v.id, from, Math.min(BATCH, sample - from)));
      const s = (performance.now() - t) / 1000;
      await client.query(`DROP TABLE prediction_v${v.id}`);
      return { seconds: s, usPerRow: (s / sample) * 1e6, pool: (s / sample) * items };
    },
    "load + attach": async () => {
      const v = await newVersion();
      const { prepareLoad } = await import("@/server/domain/scoring/prediction-partitions");
      await prepareLoad(db, v.id);
      let t = performance.now();
      for (let from = 0; from < items; from += BATCH)
        await loadPredictions(pool, batchOf(v.id, from, Math.min(BATCH, items - from)), ids[from]!);
      const loadSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      await attachLoadedPredictions(db, v.id);
      const attachSeconds = (performance.now() - t) / 1000;
      const [{ n }] = (
        await client.query<{ n: number }>(`SELECT count(*)::int n FROM prediction WHERE model_version_id = $1`, [v.id])
      ).rows as [{ n: number }];
      if (n !== items) throw new Error(`attached ${n} rows, expected ${items}`);
      await client.query(`DROP TABLE prediction_v${v.id}`);
      const s = loadSeconds + attachSeconds;
      return { seconds: s, usPerRow: (s / items) * 1e6, pool: s, load: loadSeconds, attach: attachSeconds };
    },
    "load unlogged + set logged + attach": async () => {
      const v = await newVersion();
      const { prepareLoad } = await import("@/server/domain/scoring/prediction-partitions");
      await prepareLoad(db, v.id);
      await client.query(`ALTER TABLE prediction_v${v.id}_load SET UNLOGGED`);
      let t = performance.now();
      for (let from = 0; from < items; from += BATCH)
        await loadPredictions(pool, batchOf(v.id, from, Math.min(BATCH, items - from)), ids[from]!);
      const loadSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      await client.query(`ALTER TABLE prediction_v${v.id}_load SET LOGGED`);
      await attachLoadedPredictions(db, v.id);
      const attachSeconds = (performance.now() - t) / 1000;
      const [{ n }] = (
        await client.query<{ n: number }>(`SELECT count(*)::int n FROM prediction WHERE model_version_id = $1`, [v.id])
      ).rows as [{ n: number }];
      if (n !== items) throw new Error(`attached ${n} rows, expected ${items}`);
      await client.query(`DROP TABLE prediction_v${v.id}`);
      const s = loadSeconds + attachSeconds;
      return { seconds: s, usPerRow: (s / items) * 1e6, pool: s, load: loadSeconds, attach: attachSeconds };
    },
  };
  // A design not built (docs/decisions/prediction-store.md, "Per-block rows, measured"): one row per vector block
  // holding the block's arrays as raw bytes, plus a small indexed head of the HEAD highest priorities that the queue
  // would pick from. Measures the write only; the readers it would need are discussed in the record.
  await client.query(`
    CREATE TABLE prediction_block_bench (
      model_version_id int NOT NULL, from_id int NOT NULL, item_ids bytea NOT NULL, probabilities bytea NOT NULL,
      predicted bytea NOT NULL, confidence bytea NOT NULL, uncertainty bytea NOT NULL, priority bytea NOT NULL,
      mislabel bytea NOT NULL, PRIMARY KEY (model_version_id, from_id));
    ALTER TABLE prediction_block_bench ALTER item_ids SET STORAGE EXTERNAL, ALTER probabilities SET STORAGE EXTERNAL,
      ALTER predicted SET STORAGE EXTERNAL, ALTER confidence SET STORAGE EXTERNAL,
      ALTER uncertainty SET STORAGE EXTERNAL, ALTER priority SET STORAGE EXTERNAL, ALTER mislabel SET STORAGE EXTERNAL;
    CREATE TABLE prediction_head_bench (LIKE prediction);
    ALTER TABLE prediction_head_bench ADD PRIMARY KEY (model_version_id, item_id);
    CREATE INDEX ON prediction_head_bench (model_version_id, priority DESC);`);
  const HEAD = Number(arg("head", "20000"));
  const bytesOf = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  variants["packed blocks + head"] = async () => {
    const v = await newVersion();
    // Each block offers its rows above the running HEAD-th best priority as head candidates (a block cannot know the
    // global cut); the head is the HEAD best of those, written once the blocks are in (as an attach would). The
    // candidate bookkeeping is timed apart from the writes.
    let writeMs = 0;
    const cand = { id: [] as number[], p: [] as number[], b: [] as ReturnType<typeof batchOf>[], i: [] as number[] };
    let cut = -Infinity;
    for (let from = 0; from < items; from += BATCH) {
      const b = batchOf(v.id, from, Math.min(BATCH, items - from));
      const n = b.itemIds.length;
      const predicted = Int32Array.from(b.predicted, (p) => p[0] ?? -1);
      const t = performance.now();
      await pool.query(
        `INSERT INTO prediction_block_bench VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [
          v.id,
          b.itemIds[0],
          bytesOf(b.itemIds),
          bytesOf(b.proba),
          bytesOf(predicted),
          bytesOf(b.confidence),
          bytesOf(b.uncertainty),
          bytesOf(b.priority),
          bytesOf(b.mislabel),
        ],
      );
      writeMs += performance.now() - t;
      for (let i = 0; i < n; i++)
        if (b.priority[i]! >= cut) {
          cand.id.push(b.itemIds[i]!);
          cand.p.push(b.priority[i]!);
          cand.b.push(b);
          cand.i.push(i);
        }
      if (cand.p.length >= HEAD) cut = [...cand.p].sort((x, y) => y - x)[HEAD - 1]!;
    }
    const t2 = performance.now();
    const order = cand.p
      .map((p, k) => [p, k] as const)
      .filter(([p]) => p >= cut)
      .sort((x, y) => y[0] - x[0])
      .slice(0, HEAD)
      .map(([, k]) => k)
      .sort((x, y) => cand.id[x]! - cand.id[y]!);
    await db.$executeRawUnsafe(
      insertSql("prediction_head_bench"),
      v.id,
      order.map((k) => cand.id[k]!),
      project.id,
      Buffer.from(
        Float32Array.from(
          order.flatMap((k) => Array.from(cand.b[k]!.proba.subarray(cand.i[k]! * K, (cand.i[k]! + 1) * K))),
        ).buffer,
      ),
      K * 4,
      order.map((k) => classIdsLiteral(cand.b[k]!.predicted[cand.i[k]!]!)),
      order.map((k) => cand.b[k]!.confidence[cand.i[k]!]!),
      order.map((k) => cand.b[k]!.uncertainty[cand.i[k]!]!),
      order.map((k) => cand.p[k]!),
      order.map((k) => cand.b[k]!.mislabel[cand.i[k]!]!),
    );
    const headSeconds = (performance.now() - t2) / 1000;
    await client.query(`DELETE FROM prediction_block_bench; DELETE FROM prediction_head_bench`);
    const s = writeMs / 1000 + headSeconds;
    return { seconds: s, usPerRow: (s / items) * 1e6, pool: s, load: writeMs / 1000, attach: headSeconds };
  };
  // What the two full-pool variants spend making their synthetic batches (included in their load times).
  variants["batches only"] = async () => {
    const t = performance.now();
    let sum = 0;
    for (let from = 0; from < items; from += BATCH) sum += batchOf(1, from, Math.min(BATCH, items - from)).priority[0]!;
    const s = (performance.now() - t) / 1000 + sum * 0;
    return { seconds: s, usPerRow: (s / items) * 1e6, pool: s };
  };
  const only = arg("variants", Object.keys(variants).join(",")).split(",");
  const best: Record<string, Record<string, number>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(variants).filter(([name]) => only.includes(name))) {
      const before = load();
      const out = await run();
      log(
        `round ${r + 1} ${name}: ${Object.entries(out)
          .map(([k, v]) => `${k} ${v.toFixed(k === "usPerRow" ? 1 : 2)}`)
          .join(", ")} (load ${before.join(" / ")} → ${load().join(" / ")})`,
      );
      if (!best[name] || out.pool! < best[name].pool!) best[name] = out;
    }
  }
  console.log(`\nminimum of ${rounds} rounds, ${items} items (${sample}-row samples for the row variants):`);
  console.log(`| variant | µs per row | pool of ${items} (s) | detail |\n|---|---:|---:|---|`);
  for (const [name, out] of Object.entries(best))
    console.log(
      `| ${name} | ${out.usPerRow!.toFixed(1)} | ${out.pool!.toFixed(1)} | ${
        out.load !== undefined ? `load ${out.load.toFixed(2)} s, index + attach ${out.attach!.toFixed(2)} s` : ""
      } |`,
    );
} finally {
  await client.end();
  await pool.end();
  await db.$disconnect();
  await database.drop();
}

// insertPredictions' statement, into a named table (for the old table shape only).
function insertSql(table: string) {
  return `INSERT INTO ${table} (model_version_id, item_id, project_id, probabilities, predicted_class_ids, confidence, uncertainty, priority, mislabel_score)
    SELECT $1::int, u.item_id, $3::int, substring($4::bytea FROM (u.o::int - 1) * $5 + 1 FOR $5),
           u.predicted::int[], u.confidence, u.uncertainty, u.priority, CASE WHEN u.mislabel < 0 THEN NULL ELSE u.mislabel END
    FROM unnest($2::int[], $6::text[], $7::real[], $8::real[], $9::real[], $10::real[])
         WITH ORDINALITY AS u(item_id, predicted, confidence, uncertainty, priority, mislabel, o)
    ON CONFLICT DO NOTHING`;
}
