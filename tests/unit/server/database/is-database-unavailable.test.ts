import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises PostgreSQL going away, as pg and Prisma's driver adapter report it", () => {
    expect(isDatabaseUnavailable(coded("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(coded("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    // net.connect tries every resolved address and reports them together.
    expect(
      isDatabaseUnavailable(new AggregateError([coded("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], "")),
    ).toBe(true);
    const prisma = Object.assign(new Error("Can't reach database server"), { code: "P1001", meta: {} });
    expect(isDatabaseUnavailable(prisma)).toBe(true);
    const adapter = Object.assign(new Error("DatabaseNotReachable"), { cause: { kind: "DatabaseNotReachable" } });
    expect(isDatabaseUnavailable(new Error("Failed to get session", { cause: adapter }))).toBe(true);
  });

  it("leaves everything else alone, including an HTTP request refused by another server", () => {
    expect(isDatabaseUnavailable(coded("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isDatabaseUnavailable(coded("Unique constraint failed", "P2002"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Project 3 does not exist"))).toBe(false);
    expect(isDatabaseUnavailable("57P01")).toBe(false);
    const fetchFailed = new TypeError("fetch failed", {
      cause: coded("connect ECONNREFUSED 127.0.0.1:11434", "ECONNREFUSED"),
    });
    expect(isDatabaseUnavailable(fetchFailed)).toBe(false);
    expect(isDatabaseUnavailable(new Error("LLM request failed", { cause: fetchFailed }))).toBe(false);
  });
});
