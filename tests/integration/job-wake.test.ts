import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenForQueuedJobs, notifyJobQueued } from "@/server/jobs/job-wake";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/wait-for";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.drop());

describe("job wake-ups", () => {
  it("arrive on commit only, and resume after the listening connection is cut", async () => {
    const heard: (string | null)[] = [];
    const listener = listenForQueuedJobs(
      testDb.url,
      (queue) => heard.push(queue),
      () => undefined,
    );
    try {
      // Each (re)connection first reports null: look at every queue once.
      await waitFor(
        async () => heard,
        (h) => h.length === 1,
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      expect(heard).toEqual([null]);
      await expect(
        testDb.db.$transaction(async (tx) => {
          await notifyJobQueued(tx, "rolled-back");
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await testDb.db.$transaction((tx) => notifyJobQueued(tx, "train"));
      await waitFor(
        async () => heard,
        (h) => h.includes("train"),
        { timeoutMs: 10_000, intervalMs: 20 },
      );

      // The server drops the connection (a restart, a proxy's idle timeout): the listener connects again.
      await testDb.db.$executeRaw`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'margin-worker-wake' AND datname = current_database()`;
      await waitFor(
        async () => heard,
        (h) => h.filter((q) => q === null).length === 2,
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      await testDb.db.$transaction((tx) => notifyJobQueued(tx, "score"));
      await waitFor(
        async () => heard,
        (h) => h.includes("score"),
        { timeoutMs: 10_000, intervalMs: 20 },
      );
      expect(heard).not.toContain("rolled-back");
      expect(heard).toEqual([null, "train", null, "score"]);
    } finally {
      await listener.stop();
    }
  });
});
