import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Layer boundaries (docs/architecture.md): src/ml is pure numeric code; UI code reaches the server only via tRPC.
const mlBoundary = {
  patterns: [
    { group: ["@/server/*", "@/worker/*", "@/app/*", "@/cli/*", "@/trpc/*"], message: "src/ml is pure: no server, worker, app or CLI imports." },
    { group: ["@prisma/*", "pg", "pg-boss", "@langchain/*", "langchain", "next", "next/*", "react"], message: "src/ml is pure: no I/O libraries." },
    { group: ["node:fs", "node:net", "node:http", "fs", "net", "http"], message: "src/ml does no I/O." },
  ],
};
const uiBoundary = {
  patterns: [
    { group: ["@/server/domain/*", "@/server/db", "@/server/jobs/*", "@/server/llm/*", "@/worker/*", "@prisma/*", "pg", "pg-boss"], message: "UI code talks to the server through tRPC only (src/trpc)." },
  ],
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
  { files: ["src/app/**/*.{ts,tsx}", "src/components/**/*.{ts,tsx}"], ignores: ["src/app/api/**"], rules: { "no-restricted-imports": ["error", uiBoundary] } },
);
