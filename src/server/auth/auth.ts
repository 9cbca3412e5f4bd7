import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { env, publicUrl } from "@/env";
import { db } from "@/server/db";

export type Auth = ReturnType<typeof createAuth>;

function createAuth() {
  const e = env();
  if (!e.BETTER_AUTH_SECRET) {
    throw new Error("BETTER_AUTH_SECRET is not set: `npm start` generates one; production must set it (see .env.example).");
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
    // process: replicas share them and a restart does not reset them.
    rateLimit: { storage: "database", modelName: "rateLimit" },
    telemetry: { enabled: false },
    advanced: { database: { generateId: () => crypto.randomUUID() } },
    trustedOrigins: (request) => {
      // Same-origin requests from whatever host the server is reached by (LAN IP, reverse proxy) are trusted.
      const host = request?.headers.get("host");
      return host ? [publicUrl(), `http://${host}`, `https://${host}`] : [publicUrl()];
    },
  });
}

const globalForAuth = globalThis as unknown as { marginAuth?: Auth };

export function auth(): Auth {
  globalForAuth.marginAuth ??= createAuth();
  return globalForAuth.marginAuth;
}
