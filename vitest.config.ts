import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["src/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    // Integration tests run whole loops on a 2-core machine shared with other work: generous, never a benchmark.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
