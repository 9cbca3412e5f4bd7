import { getSessionUser, type SessionUser } from "@/server/auth/get-session-user";
import { AppError } from "@/server/errors";

/** The signed-in admin of a plain HTTP route, with the same cookie session as tRPC. */
export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request.headers);
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in first.");
  if (user.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can do this.");
  return user;
}

export function projectIdParam(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new AppError("INVALID_INPUT", `"${raw}" is not a project id`);
  return id;
}
