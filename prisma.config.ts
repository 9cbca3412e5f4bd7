import { defineConfig } from "prisma/config";

// Prisma's env() helper throws when the variable is unset, which would break `npm install` on a fresh checkout.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
