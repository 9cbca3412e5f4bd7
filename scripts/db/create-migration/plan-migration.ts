// Asks Prisma's WebAssembly schema engine for the next migration, as `prisma migrate dev --create-only` would.
// The native engine that the CLI spawns cannot be downloaded here; the wasm build reaches databases through a driver
// adapter instead, and every database below is an in-memory PGlite.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { messages, PGlite } from "@electric-sql/pglite";
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
} from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";

export type MigrationsList = bindings.MigrationList;

export type PlanInput = {
  migrationName: string;
  migrationsList: MigrationsList;
  schemaPath: string;
  schema: string;
  filters: bindings.SchemaFilter;
};

// The engine's panic hook reports the Rust message here; without it a panic surfaces as "unreachable".
const panics = { message: "", set_message: (message: string) => void (panics.message = message) };
let engineClass: typeof bindings.SchemaEngine | undefined;

// Same wiring as @prisma/internals' wasmSchemaEngineLoader: the package's own entry imports the .wasm file as an ES
// module, which Node 20 cannot do, so the bindings get a hand-made instance. Instantiate once per process.
function loadEngineClass(): typeof bindings.SchemaEngine {
  if (engineClass) return engineClass;
  const wasmPath = createRequire(import.meta.url)
    .resolve("@prisma/schema-engine-wasm/schema_engine_bg")
    .replace(/\.js$/, ".wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = panics;
  engineClass = bindings.SchemaEngine;
  return engineClass;
}

// pglite-prisma-adapter 0.7.2 does not await PGlite's exec() in executeScript: a failing migration would surface as an
// unhandled rejection that kills the process, not as an error the engine reports.
async function connect(client: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(client).connect();
  adapter.executeScript = async (script) => {
    try {
      await client.exec(script);
    } catch (error) {
      if (!(error instanceof messages.DatabaseError)) throw error;
      const { code = "N/A", severity = "N/A", message, detail, column, hint } = error;
      throw new DriverAdapterError({ kind: "postgres", code, severity, message, detail, column, hint });
    }
  };
  return adapter;
}

// Engine errors end with a Rust span trace ("   0: sql_schema_connector::…"); the trace alone names the migration
// that failed to apply.
function toReadableError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  if (error.name === "RuntimeError" && panics.message) return new Error(`schema engine panicked: ${panics.message}`);
  const [message = "", trace = ""] = error.message.split(/\n\s+0: /);
  const migration = /apply_script\s+with migration_name="([^"]+)"/.exec(trace)?.[1];
  return new Error(migration ? `migration ${migration} failed: ${message}` : message);
}

/** The migration that would bring the migrations folder up to the schema; `migrationScript` is null when none. */
export async function planMigration(input: PlanInput): Promise<bindings.CreateMigrationOutput> {
  const { migrationsList, filters } = input;
  const main = new PGlite();
  const shadows: PGlite[] = [];
  const adapterFactory = bindMigrationAwareSqlAdapterFactory({
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => connect(main),
    // Called each time the engine replays the migrations: a fresh, empty database every time.
    connectToShadowDb: () => {
      const shadow = new PGlite();
      shadows.push(shadow);
      return connect(shadow);
    },
  });
  let engine: bindings.SchemaEngine | undefined;
  try {
    engine = await loadEngineClass().new({ datamodels: [[input.schemaPath, input.schema]] }, () => {}, adapterFactory);
    // The wasm engine's createMigration has no shadow database of its own: it reads the migrations' schema from a
    // cache that devDiagnostic fills by replaying them into a shadow PGlite. That cache is keyed by the migrations
    // applied to the main database, hence migrate dev's order: apply, diagnose, create.
    await engine.applyMigrations({ migrationsList, filters });
    const { action } = await engine.devDiagnostic({ migrationsList, filters });
    if (action.tag === "reset")
      throw new Error(`replaying the migrations twice gave different schemas: ${action.reason}`);
    return await engine.createMigration({
      draft: false,
      migrationName: input.migrationName,
      migrationsList,
      schema: { files: [{ path: input.schemaPath, content: input.schema }] },
      filters,
    });
  } catch (error) {
    throw toReadableError(error);
  } finally {
    engine?.free();
    await Promise.all([main, ...shadows].map((db) => db.close()));
  }
}
