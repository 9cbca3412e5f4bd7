import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import { createBoss, startBossWithQueues } from "@/server/jobs/boss";
import { allJobs } from "@/server/jobs/job-definitions";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

let testDb: TestDatabase;
const bosses: PgBoss[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true }).catch(() => undefined)));
  await testDb.drop();
});

describe("starting pg-boss in several processes at once", () => {
  // Two workers started together once died with "deadlock detected": pg-boss's create_queue is not safe to run
  // concurrently for a new queue. Each round adds a queue no process has created yet.
  it(
    "creates every queue with no deadlock when six clients (web and worker kinds) start together",
    { timeout: 120_000 },
    async () => {
      for (let round = 0; round < 3; round++) {
        const starting = Array.from({ length: 6 }, (_, i) => {
          const boss = createBoss(testDb.url, { worker: i % 2 === 0 });
          boss.on("error", () => undefined);
          bosses.push(boss);
          return startBossWithQueues(boss, testDb.url, {
            extra: [{ name: `extra-${round}`, retryLimit: 1, expireInSeconds: 60 }],
          });
        });
        const results = await Promise.allSettled(starting);
        expect(
          results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
        ).toEqual([]);
      }
      const names = (await bosses[0]!.getQueues()).map((q) => q.name);
      for (const job of allJobs) expect(names).toContain(job.name);
      expect(names).toEqual(expect.arrayContaining(["extra-0", "extra-1", "extra-2"]));
    },
  );
});
