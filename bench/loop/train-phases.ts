/**
 * Where a retrain's time goes at scale, without the whole loop benchmark: `npx tsx bench/loop/train-phases.ts
 * --items 1000000 --labeled 100000 --rounds 3 [--keep]`, or `--database <name>` to reuse a database a `--keep` run
 * left on DATABASE_URL's server (the 1M load takes minutes; the phases are what a change is judged by). Trains v1
 * when the project has no version, then per round labels `--every` (50) more items with their fixture class (one
 * human annotation each, the item's label columns) and runs the train job's code, printing its phase log line and
 * the load average.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createBenchDatabase } from "./bench-database";
import { loadProject } from "./load-project";
import { benchArg as arg } from "../bench-args";

const items = Number(arg("items", "1000000"));
const labeled = Number(arg("labeled", "100000"));
const rounds = Number(arg("rounds", "3"));
const every = Number(arg("every", "50"));
const reuse = arg("database");
const keep = process.argv.includes("--keep");
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
const fixturePath = path.resolve("tests/fixtures/ag-news-2000.jsonl");
const fixture = fs
  .readFileSync(fixturePath, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { label: string });
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

if (!process.env.DATABASE_URL) throw new Error("set DATABASE_URL (a server this bench may create a database on)");
let url: string;
let drop: (() => Promise<void>) | undefined;
if (reuse) {
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${reuse}`;
  url = u.toString();
} else {
  const database = await createBenchDatabase(process.env.DATABASE_URL);
  url = database.url;
  if (!keep) drop = () => database.drop();
}
process.env.DATABASE_URL = url;
process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
const { createDb } = await import("@/server/db");
const { createUser } = await import("@/server/domain/users/create-user");
const { createBoss, startBossWithQueues } = await import("@/server/jobs/boss");
const { trainModelVersion } = await import("@/server/domain/training/train-model-version");
const db = createDb(url, { poolSize: 20 });
const boss = createBoss(url, { worker: false });
await startBossWithQueues(boss, url);
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  log(`database ${new URL(url).pathname.slice(1)}; load ${load()}`);
  let projectId: number;
  let userId: string;
  const existing = await db.project.findFirst({ orderBy: { id: "asc" } });
  if (existing) {
    projectId = existing.id;
    userId = (await db.user.findFirstOrThrow()).id;
  } else {
    userId = (
      await createUser(
        db,
        { email: "bench@train-phases.test", name: "Bench", password: "bench-password-123", role: "admin" },
        null,
      )
    ).id;
    const project = await loadProject(db, url, {
      items,
      labeled,
      fixture: fixturePath,
      userId,
      featurizerId: "glove-sif-200@1",
    });
    projectId = project.projectId;
    log(`loaded ${items} items in ${project.seconds.total.toFixed(1)} s; load ${load()}`);
  }
  const hooks = (tag: string) => ({
    log: async (m: string) => {
      if (m.startsWith("Time:") || m.startsWith("Fitted")) log(`${tag}: ${m}`);
    },
    progress: async () => undefined,
    throwIfCancelled: async () => undefined,
  });
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId } });
  if (!project.activeModelVersionId) {
    const t = performance.now();
    await trainModelVersion(db, boss, projectId, { userId, hooks: hooks("v1") });
    log(`v1 in ${((performance.now() - t) / 1000).toFixed(2)} s; load ${load()}`);
  }
  for (let round = 0; round < rounds; round++) {
    // `every` unlabeled items outside the test split, labeled with their fixture text's class (item i of the load
    // is a variation of fixture row i mod 2,000).
    const { rows: picked } = await pool.query<{ id: number; first: number }>(
      `SELECT id, (SELECT min(id) FROM item WHERE project_id = $1) AS first FROM item
       WHERE project_id = $1 AND label_status = 'unlabeled' AND split <> 'test' ORDER BY hashint4(id + $3) LIMIT $2`,
      [projectId, every, round * 7919 + (Date.now() % 100_000)],
    );
    const classOf = new Map(
      (await db.labelClass.findMany({ where: { projectId } })).map((c) => [c.name, c.id] as const),
    );
    const gold = picked.map((p) => classOf.get(fixture[(p.id - p.first) % fixture.length]!.label)!);
    await pool.query(
      `WITH labeled AS (
         UPDATE item i SET label_status = 'labeled', label_origin = 'human', labeled_at = now(), label_class_ids = ARRAY[u.c]
         FROM unnest($2::int[], $3::int[]) AS u(id, c) WHERE i.id = u.id RETURNING i.id, i.label_class_ids)
       INSERT INTO annotation (project_id, item_id, class_ids, origin, user_id)
       SELECT $1, id, label_class_ids, 'human', $4 FROM labeled`,
      [projectId, picked.map((p) => p.id), gold, userId],
    );
    const before = load();
    const t = performance.now();
    await trainModelVersion(db, boss, projectId, { userId, hooks: hooks(`round ${round}`) });
    log(`round ${round}: train ${(performance.now() - t).toFixed(0)} ms; load ${before} → ${load()}`);
  }
} finally {
  await pool.end();
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  await db.$disconnect();
  await drop?.();
}
process.exit(0);
