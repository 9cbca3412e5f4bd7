import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { getSessionUser, type SessionUser } from "@/server/auth/get-session-user";
import { db, type Db } from "@/server/db";
import { requireProjectAccess, type ProjectReference } from "@/server/domain/projects/project-access";
import { toTRPCError } from "@/server/api/to-trpc-error";

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

const referenceSchemas = {
  projectId: z.object({ projectId: z.number().int().positive() }),
  modelVersionId: z.object({ modelVersionId: z.number().int().positive() }),
  runId: z.object({ runId: z.number().int().positive() }),
  jobId: z.object({ jobId: z.uuid() }),
} satisfies Record<ProjectReference, z.ZodType>;

/**
 * A signed-in user's call on one project, named in the input by `reference` (the project's id, or a model version,
 * generation run or job of it). The check runs before the procedure's own input parser, on the raw input, through
 * the one access rule (domain/projects/project-access.ts): admins reach every project; annotators only those they are
 * members of, and any other answers NOT_FOUND, as if it did not exist. Ids of other records in the same input (an
 * item, a class) are the domain's to match against the project, as every domain function does.
 */
export function projectProcedure(reference: ProjectReference = "projectId") {
  return authedProcedure.use(async ({ ctx, getRawInput, next }) => {
    const parsed = referenceSchemas[reference].safeParse(await getRawInput());
    if (!parsed.success)
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        cause: parsed.error,
      });
    await requireProjectAccess(
      ctx.db,
      ctx.user,
      reference,
      (parsed.data as Record<ProjectReference, number | string>)[reference],
    );
    return next({ ctx });
  });
}
