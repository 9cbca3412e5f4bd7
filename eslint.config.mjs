import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Layer boundaries (docs/architecture.md): src/ml is pure numeric code; UI code reaches the server only via tRPC.
const mlBoundary = {
  patterns: [
    { regex: "^@/(?!ml/)", message: "src/ml is pure: it imports only src/ml (and zod) — no env, server, worker, app or CLI code." },
    { regex: "^\\.\\.?/", message: "src/ml imports its own files as @/ml/…, never by relative paths." },
    { group: ["@prisma/*", "pg", "pg-boss", "@langchain/*", "langchain", "next", "next/*", "react"], message: "src/ml is pure: no I/O libraries." },
    { group: ["node:fs", "node:net", "node:http", "fs", "net", "http"], message: "src/ml does no I/O." },
  ],
};
const uiBoundary = {
  patterns: [
    { regex: "^@/server/(?!api/root$|auth/get-session-user$)", message: "UI code talks to the server through tRPC only (src/trpc); from src/server it may import the router type and the session helper." },
    { regex: "^(\\.\\./)+server/", message: "UI code never reaches src/server by relative paths." },
    { group: ["@/worker/*", "@prisma/*", "pg", "pg-boss"], message: "UI code talks to the server through tRPC only (src/trpc)." },
  ],
};
const authBoundary = {
  patterns: [{ regex: "^@/server/api(/|$)", message: "server/auth owns the session; the API layer consumes it, never the other way round." }],
};
const domainBoundary = {
  patterns: [{ regex: "^@/(server/api|worker)(/|$)", message: "Domain code is called by the API and the worker; it never imports them." }],
};

const workerBoundary = {
  paths: [{ name: "@/server/db", allowTypeImports: true, message: "Workers get the database from their job context; only src/worker/main.ts opens it." }],
  patterns: [{ regex: "^@/server/(llm|pg-pool)(/|$)", message: "Worker code adapts jobs to domain functions; LLM clients, LLM errors and raw pg connections belong to the domain." }],
};

export default tseslint.config(
  { ignores: ["tmp/**", ".next/**", "node_modules/**", "src/generated/**", ".margin/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
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
  { files: ["src/app/**/*.{ts,tsx}", "src/components/**/*.{ts,tsx}", "src/trpc/**/*.{ts,tsx}"], ignores: ["src/app/api/**"], rules: { "no-restricted-imports": ["error", uiBoundary] } },
  { files: ["src/server/domain/**/*.ts"], rules: { "no-restricted-imports": ["error", domainBoundary] } },
  { files: ["src/server/auth/**/*.ts"], rules: { "no-restricted-imports": ["error", authBoundary] } },
  { files: ["src/worker/**/*.ts"], ignores: ["src/worker/main.ts"], rules: { "no-restricted-imports": ["error", workerBoundary] } },
);
