// A reverse proxy on loopback (the test server's peer) may name the client: each request below comes from its own
// forwarded address, so the per-address limit stays out of the way of what is tested here.
process.env.AUTH_RATE_LIMIT = "true";
process.env.TRUSTED_PROXIES = "loopback";

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabaseAndServer, signIn, type ApiServer } from "../../helpers/api-server";
import { makeProject, makeUser } from "../../helpers/factories";
import type { TestDatabase } from "../../helpers/test-database";
import { FREE_FAILURES } from "@/server/auth/sign-in-backoff";

let testDb: TestDatabase;
let server: ApiServer;

beforeAll(async () => {
  ({ testDb, server } = await createTestDatabaseAndServer());
});
afterAll(() => testDb.drop());

function postSignIn(email: string, password: string, forwardedFor = [...randomBytes(4)].join(".")) {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email, password }),
  });
}

describe("client address behind a trusted proxy", () => {
  it("keys the sign-in limit on the forwarded client, past the trusted hops", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // The leftmost entry is the client's to write; 203.0.113.9 is what the trusted proxy saw.
      statuses.push(
        (
          await postSignIn(
            `nobody-${i}@example.test`,
            "whatever-pw",
            `${[...randomBytes(4)].join(".")}, 203.0.113.9, 127.0.0.1`,
          )
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe("per-account backoff", () => {
  it("blocks an account exponentially after repeated failures, from any address, and a success clears it", async () => {
    const user = await makeUser(testDb.db, "annotator");
    const other = await makeUser(testDb.db, "annotator");
    for (let i = 0; i < FREE_FAILURES; i++) expect((await postSignIn(user.email, `wrong-${i}`)).status).toBe(401);
    // The failure after the free ones is answered as usual and blocks the account for 1 s …
    expect((await postSignIn(user.email, "wrong-again")).status).toBe(401);
    const blocked = await postSignIn(user.email, user.password);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("1");
    expect(blocked.headers.getSetCookie()).toEqual([]);
    expect(await blocked.json()).toMatchObject({ code: "SIGN_IN_BACKOFF" });
    // … other accounts are not affected; the state is in PostgreSQL (shared by every web replica).
    expect((await postSignIn(other.email, other.password)).status).toBe(200);
    const [row] = await testDb.db.$queryRaw<
      { failures: number }[]
    >`SELECT failures FROM sign_in_throttle WHERE email = ${user.email}`;
    expect(row?.failures).toBe(FREE_FAILURES + 1);

    // Each further failure doubles the block: 2 s, then 4 s.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await postSignIn(user.email, "wrong-6")).status).toBe(401);
    expect((await postSignIn(user.email, user.password)).headers.get("retry-after")).toBe("2");
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await postSignIn(user.email, "wrong-7")).status).toBe(401);
    expect((await postSignIn(user.email, user.password)).headers.get("retry-after")).toBe("4");
    await new Promise((resolve) => setTimeout(resolve, 4100));

    expect((await postSignIn(user.email, user.password)).status).toBe(200);
    expect(await testDb.db.$queryRaw`SELECT 1 FROM sign_in_throttle WHERE email = ${user.email}`).toEqual([]);
  });

  it("backs off unknown emails the same way, so a lockout does not reveal which accounts exist", async () => {
    for (let i = 0; i <= FREE_FAILURES; i++)
      expect((await postSignIn("ghost@example.test", `wrong-${i}`)).status).toBe(401);
    expect((await postSignIn("ghost@example.test", "wrong")).status).toBe(429);
  });
});

describe("disabled accounts", () => {
  it("answers a disabled account's correct password exactly like a wrong password, with no cookie", async () => {
    const user = await makeUser(testDb.db, "annotator");
    await testDb.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const wrong = await postSignIn(user.email, "not-the-password");
    const right = await postSignIn(user.email, user.password);
    expect(right.status).toBe(wrong.status);
    expect(right.status).toBe(401);
    expect(await right.json()).toEqual(await wrong.json());
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(await testDb.db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("cross-site requests to cookie-authenticated routes", () => {
  it("refuses a foreign Origin or Sec-Fetch-Site on the upload route, and takes Margin's own pages", async () => {
    const admin = await makeUser(testDb.db, "admin");
    const { project } = await makeProject(testDb.db);
    const { cookie } = await signIn(server.url, admin.email, admin.password);
    const upload = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/projects/${project.id}/imports/upload?fileName=a.csv`, {
        method: "POST",
        headers: { cookie, "content-type": "text/plain", ...headers },
        body: "text,label\nhello,a\n",
      });
    const foreign = await upload({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect((await upload({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await upload({ origin: "null" })).status).toBe(403);
    expect(await testDb.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM import_upload`).toEqual([
      { n: 0 },
    ]);

    expect((await upload({ origin: server.url, "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await upload({})).status).toBe(201);
  });
});
