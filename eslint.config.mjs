import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Layer boundaries (docs/architecture.md): src/ml is pure numeric code; UI code reaches the server only via tRPC.
const mlBoundary = {
  patterns: [
    {
      regex: "^@/(?!ml/)",
      message: "src/ml is pure: it imports only src/ml (and zod) — no env, server, worker, app or CLI code.",
    },
    { regex: "^\\.\\.?/", message: "src/ml imports its own files as @/ml/…, never by relative paths." },
    {
      group: ["@prisma/*", "pg", "pg-boss", "@langchain/*", "langchain", "next", "next/*", "react"],
      message: "src/ml is pure: no I/O libraries.",
    },
    { group: ["node:fs", "node:net", "node:http", "fs", "net", "http"], message: "src/ml does no I/O." },
  ],
};
const uiBoundary = {
  patterns: [
    {
      regex: "^@/server/(?!api/root$|auth/get-session-user$)",
      message:
        "UI code talks to the server through tRPC only (src/trpc); from src/server it may import the router type and the session helper.",
    },
    { regex: "^(\\.\\./)+server/", message: "UI code never reaches src/server by relative paths." },
    {
      group: ["@/worker/*", "@prisma/*", "pg", "pg-boss"],
      message: "UI code talks to the server through tRPC only (src/trpc).",
    },
  ],
};
const authBoundary = {
  patterns: [
    {
      regex: "^@/server/api(/|$)",
      message: "server/auth owns the session; the API layer consumes it, never the other way round.",
    },
  ],
};
const domainBoundary = {
  patterns: [
    {
      regex: "^@/(server/api|worker)(/|$)",
      message: "Domain code is called by the API and the worker; it never imports them.",
    },
    { group: ["next/*"], message: "Domain code runs in the worker, the CLI and tests too: no Next or React." },
  ],
  // Exact names: a gitignore-style group "react" would also match "@/trpc/react".
  paths: ["next", "react", "react-dom"].map((name) => ({
    name,
    message: "Domain code runs in the worker, the CLI and tests too: no Next or React.",
  })),
};
const cliBoundary = {
  patterns: [
    {
      regex: "^@/(app|components|trpc)(/|$)",
      message: "The CLI calls domain functions directly, never the web app's code.",
    },
    { group: ["next/*"], message: "The CLI runs without Next." },
  ],
  paths: ["next", "react", "react-dom"].map((name) => ({ name, message: "The CLI runs without Next." })),
};

// Jobs are declared once and enqueued from the domain; their payload schemas come from the leaf server/schemas.
const jobsBoundary = {
  patterns: [
    {
      regex: "^@/(server/(domain|api|llm|auth|featurizers|compute)|worker|cli)(/|$)",
      message:
        "server/jobs declares and enqueues jobs: payload schemas come from server/schemas (zod only), never from the domain, API, LLM or worker code.",
    },
  ],
};
const schemasBoundary = {
  patterns: [
    { regex: "^@/(?!server/schemas/)", message: "server/schemas is a leaf: it imports zod and its own files only." },
    {
      regex: "^\\.\\.?/",
      message: "server/schemas imports its own files as @/server/schemas/…, never by relative paths.",
    },
  ],
};
// Featurizer adapters and thread plumbing turn texts and matrices into numbers: they hold no database or job logic.
const computeBoundary = {
  patterns: [
    {
      regex: "^@/(server/(db|domain|api|jobs|auth|pg-pool)|worker|app|cli)(/|$)",
      message:
        "Compute (server/featurizers, server/compute) reads env and src/ml; the domain calls it, never the other way round.",
    },
    { group: ["@prisma/*", "next/*"], message: "Compute holds no database or web code." },
  ],
  paths: ["pg", "pg-boss", "next"].map((name) => ({ name, message: "Compute holds no database or web code." })),
};

const workerBoundary = {
  paths: [
    {
      name: "@/server/db",
      allowTypeImports: true,
      message: "Workers get the database from their job context; only src/worker/main.ts opens it.",
    },
  ],
  patterns: [
    {
      regex: "^@/server/(llm|pg-pool)(/|$)",
      message:
        "Worker code adapts jobs to domain functions; LLM clients, LLM errors and raw pg connections belong to the domain.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      "tmp/**",
      ".next/**",
      "node_modules/**",
      "src/generated/**",
      ".margin/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  { files: ["src/ml/**/*.ts"], rules: { "no-restricted-imports": ["error", mlBoundary] } },
  {
    files: ["src/app/**/*.{ts,tsx}", "src/components/**/*.{ts,tsx}", "src/trpc/**/*.{ts,tsx}"],
    ignores: ["src/app/api/**"],
    rules: { "no-restricted-imports": ["error", uiBoundary] },
  },
  { files: ["src/server/domain/**/*.ts"], rules: { "no-restricted-imports": ["error", domainBoundary] } },
  { files: ["src/cli/**/*.ts"], rules: { "no-restricted-imports": ["error", cliBoundary] } },
  { files: ["src/server/auth/**/*.ts"], rules: { "no-restricted-imports": ["error", authBoundary] } },
  { files: ["src/server/jobs/**/*.ts"], rules: { "no-restricted-imports": ["error", jobsBoundary] } },
  { files: ["src/server/schemas/**/*.ts"], rules: { "no-restricted-imports": ["error", schemasBoundary] } },
  {
    files: ["src/server/featurizers/**/*.ts", "src/server/compute/**/*.ts"],
    rules: { "no-restricted-imports": ["error", computeBoundary] },
  },
  {
    files: ["src/worker/**/*.ts"],
    ignores: ["src/worker/main.ts"],
    rules: { "no-restricted-imports": ["error", workerBoundary] },
  },
);
