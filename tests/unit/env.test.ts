import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function load(vars: Record<string, string | undefined>) {
  process.env = { ...saved, ...vars };
  for (const [key, value] of Object.entries(vars)) if (value === undefined) delete process.env[key];
  vi.resetModules();
  return import("@/env");
}

describe("env", () => {
  it("applies defaults and treats empty strings as unset", async () => {
    const { env } = await load({ DATABASE_URL: "", PORT: undefined, MARGIN_DATA_DIR: undefined });
    const e = env();
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PORT).toBe(3000);
    // Unset means two places (local-dirs.ts): the checkout's .margin/ for npm start, the user's cache for caches.
    expect(e.MARGIN_DATA_DIR).toBeUndefined();
  });

  it("has job liveness bounds with defaults, and refuses a staleness bound shorter than three heartbeats", async () => {
    const { env } = await load({
      JOB_HEARTBEAT_SECONDS: undefined,
      JOB_STALE_SECONDS: undefined,
      JOB_SWEEP_SECONDS: undefined,
    });
    expect(env()).toMatchObject({ JOB_HEARTBEAT_SECONDS: 10, JOB_STALE_SECONDS: 60, JOB_SWEEP_SECONDS: 10 });
    const short = await load({ JOB_HEARTBEAT_SECONDS: "10", JOB_STALE_SECONDS: "20" });
    expect(() => short.env()).toThrow("JOB_STALE_SECONDS: must be at least 3 × JOB_HEARTBEAT_SECONDS (10)");
  });

  it("names the variable that is malformed", async () => {
    const { env } = await load({ DATABASE_URL: "mysql://nope", PORT: "http" });
    expect(() => env()).toThrow(/DATABASE_URL: must be a postgres:\/\/ .*PORT/);
  });

  it("rejects a short auth secret with a message naming it", async () => {
    const { env } = await load({ BETTER_AUTH_SECRET: "short" });
    expect(() => env()).toThrow(/BETTER_AUTH_SECRET: must be at least 32 characters/);
  });

  it("explains what to do when DATABASE_URL is missing", async () => {
    const { requireDatabaseUrl } = await load({ DATABASE_URL: undefined });
    expect(() => requireDatabaseUrl()).toThrow(/npm start/);
  });
});
