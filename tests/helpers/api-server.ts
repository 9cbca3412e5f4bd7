import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { handleApiRequest } from "@/server/api/handle-request";
import { stampPeerAddress } from "@/server/auth/client-address";
import { findFreePort } from "@/server/database/embedded-postgres";
import { createTestDatabase, stopBeforeDrop, type TestDatabase } from "./test-database";

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the app's API (auth + tRPC) over real HTTP on 127.0.0.1, through the same handler Next uses. */
export async function startApiServer(): Promise<ApiServer> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  process.env.MARGIN_URL = url;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // As Margin's web server does (src/web/main.ts): the socket's address, never a client-written header.
    stampPeerAddress(req.headers, req.socket.remoteAddress);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
      else if (value !== undefined) headers.set(key, value);
    }
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    try {
      const response = await handleApiRequest(
        new Request(new URL(req.url ?? "/", url), { method: req.method, headers, body }),
      );
      res.statusCode = response.status;
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") res.setHeader(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) res.setHeader("set-cookie", cookies);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Signs in through better-auth's real endpoint and returns a tRPC client that sends the session cookie. */
export async function signIn(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie, client: apiClient(baseUrl, cookie) };
}

export function apiClient(baseUrl: string, cookie?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: () => (cookie ? { cookie } : {}) }),
    ],
  });
}

/** A test database and the API served over it; the database's `drop` closes the server first. */
export async function createTestDatabaseAndServer(): Promise<{ testDb: TestDatabase; server: ApiServer }> {
  const testDb = await createTestDatabase();
  const server = await startApiServer();
  return { testDb: stopBeforeDrop(testDb, () => server.close()), server };
}
