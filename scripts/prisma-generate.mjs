// Runs `prisma generate` without downloading Prisma's native schema engine: the generated client (prisma-client
// generator + driver adapter) needs no native binary, and generate only checks that the engine path exists.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import path from "node:path";

const stub = path.resolve(import.meta.dirname, "no-schema-engine.sh");
if (existsSync(stub)) chmodSync(stub, 0o755);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "generate"], {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);
