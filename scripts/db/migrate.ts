// `npm run db:migrate [-- --seed]`: applies pending migrations to DATABASE_URL; with --seed, also creates the first
// admin (printing its password when generated) and the demo projects, as `npm start` does on first run.
import { env, requireDatabaseUrl } from "@/env";
import { applyMigrations } from "@/server/database/apply-migrations";

async function main() {
  const url = requireDatabaseUrl();
  const result = await applyMigrations(url, { log: (line) => console.log(line) });
  console.log(`${result.applied.length} migrations applied, ${result.alreadyApplied} already in place`);
  if (!process.argv.includes("--seed")) return;
  const { createDb } = await import("@/server/db");
  const { ensureAdmin } = await import("@/server/domain/seed/ensure-admin");
  const { seedDemoProjects } = await import("@/server/domain/seed/seed-demo-projects");
  const db = createDb(url);
  const e = env();
  const admin = await ensureAdmin(db, { email: e.MARGIN_ADMIN_EMAIL, password: e.MARGIN_ADMIN_PASSWORD });
  if (admin.created)
    console.log(`created the admin ${admin.email}${e.MARGIN_ADMIN_PASSWORD ? "" : ` with password ${admin.password}`}`);
  if (e.MARGIN_SEED_DEMO) {
    const first = await db.user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
    if ((await seedDemoProjects(db, first?.id ?? null)).seeded) console.log("seeded the demo projects");
  }
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
