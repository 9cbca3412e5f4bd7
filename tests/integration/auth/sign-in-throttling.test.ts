// No TRUSTED_PROXIES: X-Forwarded-For is written by the client and must not key the sign-in limit.
process.env.AUTH_RATE_LIMIT = "true";
delete process.env.TRUSTED_PROXIES;

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabaseAndServer, type ApiServer } from "../../helpers/api-server";
import { makeUser } from "../../helpers/factories";
import type { TestDatabase } from "../../helpers/test-database";

let testDb: TestDatabase;
let server: ApiServer;

beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

function randomAddress() {
  return [...randomBytes(4)].join(".");
}

it("throttles 50 wrong passwords with a rotating X-Forwarded-For, then refuses the right one too", async () => {
  const user = await makeUser(testDb.db, "annotator");
  const signIn = (password: string, headers: Record<string, string>) =>
    fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, ...headers },
      body: JSON.stringify({ email: user.email, password }),
    });
  const statuses: number[] = [];
  for (let i = 0; i < 50; i++) {
    const spoofed = randomAddress();
    const response = await signIn(`wrong-${i}`, {
      "x-forwarded-for": spoofed,
      "x-real-ip": spoofed,
      "x-margin-client-address": spoofed,
    });
    statuses.push(response.status);
  }
  // better-auth's sign-in rule: 3 per 10 s per address — the socket's, whatever the headers say.
  expect(statuses.filter((s) => s === 401)).toHaveLength(3);
  expect(statuses.filter((s) => s === 429)).toHaveLength(47);
  const right = await signIn(user.password, { "x-forwarded-for": randomAddress() });
  expect(right.status).toBe(429);
  expect(right.headers.getSetCookie()).toEqual([]);
});
