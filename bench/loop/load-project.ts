import fs from "node:fs";
import pg from "pg";
import type { Db } from "@/server/db";
import { createClass } from "@/server/domain/classes/create-class";
import { contentHash } from "@/server/domain/items/content-hash";
import { embedProject } from "@/server/domain/embeddings/embed-project";
import { createProject } from "@/server/domain/projects/create-project";
import { getFeaturizer } from "@/server/featurizers/get-featurizer";

const BATCH = 10_000;
// Per-coordinate uniform noise on the base vector (σ ≈ 0.029; a coordinate of an L2-normalized 100-d half is ~0.1):
// a million distinct points around 2,000 real texts, close enough to keep each class's signal.
const NOISE = 0.05;

export interface LoadedProject {
  projectId: number;
  classIdByName: Map<string, number>;
  goldByHash: Map<string, string>;
  dim: number;
  featurizerId: string;
  itemCount: number;
  labeledCount: number;
  seconds: { items: number; labels: number; analyze: number; blocks: number; total: number };
}

/** mulberry32: a seeded generator so that every run loads the same project. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Copy r of a base text: one word dropped, a marker appended (so every copy has its own content hash). */
function variation(text: string, r: number): string {
  if (r === 0) return text;
  const words = text.split(" ");
  words.splice((r * 7) % words.length, 1);
  return `${words.join(" ")} (${r})`;
}

/**
 * A project of `items` items built from the AG News fixture (2,000 real texts, repeated with variations), each with
 * a vector in embedding_cache for the project's featurizer (the featurizer's vector of the base text plus seeded
 * noise: computing a million GloVe vectors would take minutes and is not what this benchmark measures), and
 * `labeled` of them (spread over the id range) labeled by a human with the fixture's gold class. Bulk-loaded with
 * multi-row INSERT … SELECT unnest(…) through pg; then the embed job's code writes the vector blocks.
 */
export async function loadProject(
  db: Db,
  url: string,
  options: { items: number; labeled: number; fixture: string; userId: string; featurizerId: string },
): Promise<LoadedProject> {
  const rows = fs
    .readFileSync(options.fixture, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label: string });
  const classNames = [...new Set(rows.map((r) => r.label))].sort();
  const project = await createProject(
    db,
    { name: `Loop bench ${options.items}`, featurizerId: options.featurizerId },
    null,
  );
  const classIdByName = new Map<string, number>();
  for (const name of classNames)
    classIdByName.set(
      name,
      (await createClass(db, { projectId: project.id, name, description: `News about ${name}` }, null)).id,
    );
  // Auto-retrain stays off while loading and measuring the queue; the retrain section turns it on.
  await db.project.update({ where: { id: project.id }, data: { retrainEvery: 1_000_000 } });
  const featurizer = await getFeaturizer(project.featurizerId);
  const dim = featurizer.dim;
  const base = await featurizer.embed(rows.map((r) => r.text));
  const labelEvery = options.labeled > 0 ? Math.max(1, Math.floor(options.items / options.labeled)) : 0;

  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const goldByHash = new Map<string, string>();
  const random = rng(12345);
  const t0 = performance.now();
  let labeledCount = 0;
  try {
    for (let start = 0; start < options.items; start += BATCH) {
      const n = Math.min(BATCH, options.items - start);
      const texts: string[] = [];
      const hashes: string[] = [];
      const labels: (number[] | null)[] = [];
      // One binary parameter for the batch's vectors (pg sends a Buffer as raw bytes; a bytea[] would go as hex text).
      const vectors = new Float32Array(n * dim);
      for (let j = 0; j < n; j++) {
        const i = start + j;
        const b = i % rows.length;
        const text = variation(rows[b]!.text, Math.floor(i / rows.length));
        const hash = contentHash(text);
        texts.push(text);
        hashes.push(hash);
        goldByHash.set(hash, rows[b]!.label);
        const labeled = labelEvery > 0 && i % labelEvery === 0 && labeledCount < options.labeled;
        if (labeled) labeledCount++;
        labels.push(labeled ? [classIdByName.get(rows[b]!.label)!] : null);
        for (let k = 0; k < dim; k++) vectors[j * dim + k] = base[b * dim + k]! + (random() * 2 - 1) * NOISE;
      }
      await Promise.all([
        pool.query(
          `INSERT INTO item (project_id, text, content_hash, label_status, label_class_ids, label_origin, labeled_at)
           SELECT $1, t, h, CASE WHEN l IS NULL THEN 'unlabeled' ELSE 'labeled' END::"LabelStatus",
                  COALESCE(translate(l, '[]', '{}')::int[], '{}'), CASE WHEN l IS NULL THEN NULL ELSE 'human' END::"AnnotationOrigin",
                  CASE WHEN l IS NULL THEN NULL ELSE now() - interval '1 day' END
           FROM unnest($2::text[], $3::text[], $4::text[]) AS u(t, h, l)`,
          [project.id, texts, hashes, labels.map((l) => (l ? JSON.stringify(l) : null))],
        ),
        pool.query(
          `INSERT INTO embedding_cache (featurizer_id, content_hash, dim, vector)
           SELECT $1, h, $2, substring($4::bytea FROM (o::int - 1) * $5 + 1 FOR $5) FROM unnest($3::text[]) WITH ORDINALITY AS u(h, o)
           ON CONFLICT DO NOTHING`,
          [featurizer.id, dim, hashes, Buffer.from(vectors.buffer), dim * 4],
        ),
      ]);
    }
    const t1 = performance.now();
    // The labels' history: one human annotation per labeled item, a day old (before the retrain window).
    await pool.query(
      `INSERT INTO annotation (project_id, item_id, class_ids, origin, user_id, created_at)
       SELECT project_id, id, label_class_ids, 'human', $2, labeled_at FROM item WHERE project_id = $1 AND label_status = 'labeled'`,
      [project.id, options.userId],
    );
    const t2 = performance.now();
    await pool.query("ANALYZE item; ANALYZE embedding_cache; ANALYZE annotation");
    const t3 = performance.now();
    // What the embed job does after an import: the pool's vector blocks, which scoring streams.
    const noHooks = { log: async () => undefined, progress: async () => undefined, throwIfCancelled: async () => {} };
    await embedProject(db, { projectId: project.id }, noHooks);
    const t4 = performance.now();
    return {
      projectId: project.id,
      classIdByName,
      goldByHash,
      dim,
      featurizerId: featurizer.id,
      itemCount: options.items,
      labeledCount,
      seconds: {
        items: (t1 - t0) / 1000,
        labels: (t2 - t1) / 1000,
        analyze: (t3 - t2) / 1000,
        blocks: (t4 - t3) / 1000,
        total: (t4 - t0) / 1000,
      },
    };
  } finally {
    await pool.end();
  }
}
