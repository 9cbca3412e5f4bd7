import http from "node:http";
import path from "node:path";
import next from "next";
import { env } from "@/env";
import { stampPeerAddress } from "@/server/auth/client-address";

// `npm run web` (what `npm start` and the Docker image run): Next.js's production server behind a plain Node HTTP
// server that stamps each request with its socket address. Next gives route handlers no socket and keeps a
// client-sent X-Forwarded-For as is, so without this stamp nobody could tell a client's address from a forged one
// (the sign-in rate limit keys on it; see src/server/auth/client-address.ts). Needs a `next build`.
async function main() {
  const e = env();
  const app = next({ dev: false, dir: path.resolve(import.meta.dirname, "../.."), hostname: e.HOSTNAME, port: e.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    stampPeerAddress(req.headers, req.socket.remoteAddress);
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(e.PORT, e.HOSTNAME, resolve));
  console.log(`[web] ready on http://${e.HOSTNAME}:${e.PORT}`);
  const shutdown = (signal: string) => {
    console.log(`[web] ${signal}: stopping`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`[web] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
