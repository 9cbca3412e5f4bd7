import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { auth } from "@/server/auth/auth";
import { db, type Db } from "@/server/db";
import { toTRPCError } from "@/server/errors";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "annotator";
}

export interface Context {
  db: Db;
  user: SessionUser | null;
  headers: Headers;
}

/** Reads the better-auth session from the request's cookies; a disabled account counts as signed out. */
export async function createContext({ headers }: { headers: Headers }): Promise<Context> {
  const session = await auth().api.getSession({ headers });
  const u = session?.user as Record<string, unknown> | undefined;
  let user: SessionUser | null = null;
  if (u && !u.disabledAt) {
    user = { id: String(u.id), email: String(u.email), name: String(u.name), role: u.role === "admin" ? "admin" : "annotator" };
  }
  return { db: db(), user, headers };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// AppErrors (and Prisma unique violations) thrown by domain code become typed tRPC errors here, once.
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && !(result.error.cause instanceof TRPCError)) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped instanceof TRPCError) return { ...result, error: mapped };
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  return next({ ctx });
});
