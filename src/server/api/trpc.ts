import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getSessionUser, type SessionUser } from "@/server/auth/get-session-user";
import { db, type Db } from "@/server/db";
import { toTRPCError } from "@/server/errors";

export type { SessionUser };

export interface Context {
  db: Db;
  user: SessionUser | null;
  headers: Headers;
}

/** The request's context: the database and the signed-in user (server/auth owns the session). */
export async function createContext({ headers }: { headers: Headers }): Promise<Context> {
  return { db: db(), user: await getSessionUser(headers), headers };
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
