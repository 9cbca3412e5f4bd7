import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { DATABASE_UNAVAILABLE_DIGEST, getSessionUser } from "@/server/auth/get-session-user";
import { createDb, type Db } from "@/server/db";
import { signIn, startApiServer, type ApiServer } from "../helpers/api-server";
import { makeProject, makeUser } from "../helpers/factories";
import { startOwnPostgres, type OwnPostgres } from "../helpers/own-postgres";

// During a database outage the web answers 503 with Retry-After (tRPC, the route handlers, sign-in, health), not a
// 500, and serves normally again once PostgreSQL is back. The cluster is this test's own, so it can be stopped.
let pg: OwnPostgres;
let db: Db;
let server: ApiServer;

beforeAll(async () => {
  pg = await startOwnPostgres();
  process.env.DATABASE_URL = pg.url;
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("hex");
  db = createDb(pg.url, { poolSize: 4 });
  server = await startApiServer();
});
afterAll(async () => {
  await server?.close();
  await db?.$disconnect();
  await pg?.destroy();
});

describe("web during a database outage", () => {
  it("answers 503 with Retry-After while PostgreSQL is down and recovers when it is back", async () => {
    const user = await makeUser(db, "admin");
    const { project } = await makeProject(db);
    const { cookie } = await signIn(server.url, user.email, user.password);
    const list = () => fetch(`${server.url}/api/trpc/projects.list`, { headers: { cookie } });
    const exportCsv = () =>
      fetch(`${server.url}/api/projects/${project.id}/export?format=csv`, { headers: { cookie } });
    const signInAgain = () =>
      fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
    expect((await list()).status).toBe(200);
    expect((await exportCsv()).status).toBe(200);

    await pg.stop();
    try {
      for (const [name, call] of [
        ["tRPC", list],
        ["export", exportCsv],
        ["sign-in", signInAgain],
        ["health", async () => health()],
      ] as const) {
        const response = await call();
        expect(response.status, `${name}: ${await response.clone().text()}`).toBe(503);
        expect(response.headers.get("retry-after"), name).toBe("5");
      }
      // Server-rendered pages: the session lookup's error carries the digest the error page reads (not a bug's 500).
      await expect(getSessionUser(new Headers({ cookie }))).rejects.toMatchObject({
        digest: DATABASE_UNAVAILABLE_DIGEST,
      });
      const body = (await (await list()).json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
      expect(body.error.json.message).toMatch(/database is unavailable/);
    } finally {
      await pg.start();
    }
    // The pools replace the connections PostgreSQL closed: the next calls work.
    expect((await list()).status).toBe(200);
    expect((await signInAgain()).status).toBe(200);
    expect((await health()).status).toBe(200);
    expect((await getSessionUser(new Headers({ cookie })))?.email).toBe(user.email);
  });
});
