import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { handleApiRequest } from "@/server/api/handle-request";

const API = path.resolve("src/app/api");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** Routes that answer on their own, and why. */
const OWN = new Map([["health/route.ts", "a load balancer's probe: no session, no cookies, no body"]]);

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : [],
  );
}

// Integration tests serve handleApiRequest over real HTTP; a Next route that called a handler directly would skip
// what only that entry point does (the cross-site check on cookie-authenticated uploads, outage answers) in
// production while every test still passed.
describe("Next route handlers", () => {
  const files = routeFiles(API);
  it("exist", () => expect(files.length).toBeGreaterThan(4));
  for (const file of files) {
    const rel = path.relative(API, file);
    if (OWN.has(rel)) continue;
    it(`${rel} hands every method to handleApiRequest`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => m in mod);
      expect(methods.length).toBeGreaterThan(0);
      for (const m of methods) expect(mod[m], `${rel} ${m}`).toBe(handleApiRequest);
    });
  }
});
