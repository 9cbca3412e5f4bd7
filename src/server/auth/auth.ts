import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { env, publicUrl } from "@/env";
import { CLIENT_ADDRESS_HEADER } from "@/server/auth/client-address";
import { clearSignInFailures, recordSignInFailure, signInBlockedFor } from "@/server/auth/sign-in-backoff";
import { db } from "@/server/db";

export type Auth = ReturnType<typeof createAuth>;

function createAuth() {
  const e = env();
  if (!e.BETTER_AUTH_SECRET) {
    throw new Error(
      "BETTER_AUTH_SECRET is not set: `npm start` generates one; production must set it (see .env.example).",
    );
  }
  return betterAuth({
    appName: "Margin",
    baseURL: publicUrl(),
    secret: e.BETTER_AUTH_SECRET,
    database: prismaAdapter(db(), { provider: "postgresql" }),
    // Accounts are created by an admin (or the first-run setup), never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "annotator" },
        disabledAt: { type: "date", input: false, required: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    // better-auth's limits (100 requests/min per address, sign-in 3 per 10 s) counted in PostgreSQL, not in the
    // process: replicas share them and a restart does not reset them. The address is the one handleApiRequest
    // resolved from the socket and TRUSTED_PROXIES (client-address.ts), never a header the client wrote.
    rateLimit: {
      storage: "database",
      modelName: "rateLimit",
      enabled: e.AUTH_RATE_LIMIT ?? e.NODE_ENV === "production",
    },
    telemetry: { enabled: false },
    advanced: {
      database: { generateId: () => crypto.randomUUID() },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: { before: beforeSignIn, after: afterSignIn },
    trustedOrigins: (request) => {
      // Same-origin requests from whatever host the server is reached by (LAN IP, reverse proxy) are trusted.
      const host = request?.headers.get("host");
      return host ? [publicUrl(), `http://${host}`, `https://${host}`] : [publicUrl()];
    },
  });
}

// Same body and status as better-auth's answer to a wrong password, so a disabled account's password stays secret.
const invalidCredentials = () =>
  new APIError("UNAUTHORIZED", { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" });

function signInEmail(ctx: { path?: string; body?: unknown }): { email: string; password: string } | undefined {
  if (ctx.path !== "/sign-in/email") return undefined;
  const body = ctx.body as { email?: unknown; password?: unknown } | undefined;
  return typeof body?.email === "string" && typeof body.password === "string"
    ? { email: body.email, password: body.password }
    : undefined;
}

// Before the password is checked: an email in backoff gets 429, a disabled account the wrong-password answer
// (after hashing the password, as better-auth does for unknown emails, so the timing matches too).
const beforeSignIn = createAuthMiddleware(async (ctx) => {
  const attempt = signInEmail(ctx);
  if (!attempt) return;
  const wait = await signInBlockedFor(db(), attempt.email);
  if (wait > 0) {
    throw new APIError(
      "TOO_MANY_REQUESTS",
      { code: "SIGN_IN_BACKOFF", message: `Too many failed sign-ins for this email. Try again in ${wait} s.` },
      { "Retry-After": String(wait) },
    );
  }
  const user = await db().user.findUnique({
    where: { email: attempt.email.toLowerCase() },
    select: { disabledAt: true },
  });
  if (user?.disabledAt) {
    await ctx.context.password.hash(attempt.password);
    await recordSignInFailure(db(), attempt.email);
    throw invalidCredentials();
  }
});

const afterSignIn = createAuthMiddleware(async (ctx) => {
  const attempt = signInEmail(ctx);
  if (!attempt) return;
  const returned = ctx.context.returned;
  if (isAPIError(returned)) {
    if (returned.status === "UNAUTHORIZED") await recordSignInFailure(db(), attempt.email);
  } else {
    await clearSignInFailures(db(), attempt.email);
  }
});

const globalForAuth = globalThis as unknown as { marginAuth?: Auth };

export function auth(): Auth {
  globalForAuth.marginAuth ??= createAuth();
  return globalForAuth.marginAuth;
}
