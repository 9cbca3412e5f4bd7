import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// End-to-end tests run Margin exactly as a user does (`npm start`'s code path: embedded PostgreSQL in a fresh data
// folder, migrations, seed, build if needed, web + worker) and drive it with Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3100);
const llmPort = Number(process.env.FAKE_LLM_PORT ?? port + 99);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `margin-e2e-${process.pid}`);

export const E2E_ADMIN = { email: "admin@margin.local", password: "e2e-admin-password" };

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      // An OpenAI-compatible stand-in (tests/helpers/fake-openai-server.ts) so the LLM screens run for real.
      command: "node --import tsx tests/e2e/fake-llm-server.ts",
      port: llmPort,
      reuseExistingServer: false,
      env: { FAKE_LLM_PORT: String(llmPort) },
    },
    {
      command: "node --import tsx src/cli/start.ts",
      url: `http://127.0.0.1:${port}/api/health`,
      // A first run builds the app: a minute on an idle 2-core machine, several when it is busy.
      timeout: 900_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
      env: {
        PORT: String(port),
        DATABASE_URL: "",
        MARGIN_DATA_DIR: dataDir,
        MARGIN_URL: `http://127.0.0.1:${port}`,
        MARGIN_ADMIN_EMAIL: E2E_ADMIN.email,
        MARGIN_ADMIN_PASSWORD: E2E_ADMIN.password,
        LLM_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
        LLM_CHAT_MODEL: "fake-chat",
      },
    },
  ],
});
