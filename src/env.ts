import { z } from "zod";

// The only reader of process.env. Mirrored by .env.example and the README's configuration table.
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

// Addresses (IPv4/IPv6, CIDR ranges, or the words `loopback` / `private`) of the reverse proxies in front of the web
// server, comma-separated. Only a request arriving from one of them may name its client in X-Forwarded-For.
const proxyEntry = z.union([z.literal("loopback"), z.literal("private"), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: (issue) => `"${String(issue.input)}" is not an IP address, a CIDR range, "loopback" or "private"`,
});
const proxyList = optionalString.pipe(
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(proxyEntry))
    .optional(),
);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
  ),
  // Unset: npm start keeps its state in the checkout's .margin/ and caches live in the user's cache folder
  // (XDG_CACHE_HOME or ~/.cache, then margin/); set: both under it.
  MARGIN_DATA_DIR: optionalString,
  XDG_CACHE_HOME: optionalString,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  MARGIN_URL: optionalString.pipe(z.url().optional()),
  BETTER_AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  TRUSTED_PROXIES: proxyList.transform((list) => list ?? []),
  // Per-address limits on the auth endpoints (sign-in: 3 per 10 s). Unset: on in production, off in development/tests.
  AUTH_RATE_LIMIT: optionalString
    .pipe(z.enum(["true", "false", "1", "0"]).optional())
    .transform((value) => (value === undefined ? undefined : value === "true" || value === "1")),
  MARGIN_ADMIN_EMAIL: z.email().default("admin@margin.local"),
  MARGIN_ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, "must be at least 8 characters").optional()),
  MARGIN_SEED_DEMO: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((value) => value === "true" || value === "1"),
  // Connections per process; each annotator request holds one for a few milliseconds.
  DB_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(20),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  // Liveness of running jobs: the worker running a job renews its heartbeat this often; a run whose heartbeat is
  // older than JOB_STALE_SECONDS is taken to have lost its worker and is retried; every worker sweeps for such runs
  // every JOB_SWEEP_SECONDS (±20 %).
  JOB_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(600).default(10),
  JOB_STALE_SECONDS: z.coerce.number().min(1).max(86_400).default(60),
  JOB_SWEEP_SECONDS: z.coerce.number().min(0.5).max(3600).default(10),
  // A handler running longer than this is presumed hung: pg-boss retries its job (the run stays with the live
  // execution while its heartbeat is fresh). Unset: each job's own limit.
  JOB_EXPIRE_SECONDS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(86_400).optional()),
  // A file the worker touches every 10 s while its event loop runs: a container healthcheck reads its age.
  WORKER_HEALTH_FILE: optionalString,
  // Threads a training fit uses (the job's own plus helpers); unset: the machine's cores, at most 8.
  TRAIN_THREADS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(64).optional()),
  // Pools with more item ids than this are scored in chunk jobs that all workers share.
  SCORE_CHUNK_SIZE: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  // An active zero-shot LLM version ranks a seeded random sample of this many unlabeled items (LLM calls each).
  ZERO_SHOT_SCORE_ITEMS: z.coerce.number().int().min(0).max(1_000_000).default(500),
  IMPORT_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(100_000).default(2048),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  API_MAX_TEXTS_PER_REQUEST: z.coerce.number().int().min(1).max(10_000).default(256),
  // OpenAI-compatible LLM (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio, llama.cpp server). Unset: LLM features are
  // shown as unavailable and everything else works. The key stays server-side and is never logged.
  LLM_BASE_URL: optionalString.pipe(z.url("must be a URL such as http://localhost:11434/v1").optional()),
  LLM_API_KEY: optionalString,
  LLM_CHAT_MODEL: optionalString,
  LLM_EMBEDDING_MODEL: optionalString,
  LLM_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LLM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // USD per million tokens, for the estimated cost shown per generation run; unset: no estimate.
  LLM_PRICE_INPUT_PER_MTOK: optionalString.pipe(z.coerce.number<string | undefined>().min(0).optional()),
  LLM_PRICE_OUTPUT_PER_MTOK: optionalString.pipe(z.coerce.number<string | undefined>().min(0).optional()),
});

export type Env = z.infer<typeof schema>;

// A heartbeat must be renewed a few times within the staleness bound, or a slow beat looks like a dead worker.
const consistent = schema.superRefine((value, ctx) => {
  if (value.JOB_STALE_SECONDS < 3 * value.JOB_HEARTBEAT_SECONDS) {
    ctx.addIssue({
      code: "custom",
      path: ["JOB_STALE_SECONDS"],
      message: `must be at least 3 × JOB_HEARTBEAT_SECONDS (${value.JOB_HEARTBEAT_SECONDS})`,
    });
  }
});

let cached: Env | undefined;

/** Parses process.env once; a missing or malformed variable fails with a message that names it. */
export function env(): Env {
  if (cached) return cached;
  const parsed = consistent.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join("; ")}`);
  }
  cached = parsed.data;
  return cached;
}

export function requireDatabaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url)
    throw new Error(
      "DATABASE_URL is not set: run `npm start` for the embedded database, or set it (see .env.example).",
    );
  return url;
}

export function publicUrl(): string {
  const e = env();
  return e.MARGIN_URL ?? `http://localhost:${e.PORT}`;
}
