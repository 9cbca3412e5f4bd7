import { auth } from "@/server/auth/auth";
import { isDatabaseUnavailable } from "@/server/database/is-database-unavailable";

/**
 * Stamped on a database-outage error as its `digest`: Next keeps a digest an error already has, so the error page
 * (src/app/_components/server-error-notice.tsx, which holds the same literal) can tell an outage from a bug.
 */
export const DATABASE_UNAVAILABLE_DIGEST = "MARGIN_DATABASE_UNAVAILABLE";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "annotator";
}

/**
 * The signed-in user of a request, from its headers (the better-auth session cookie); null when signed out. A
 * disabled account counts as signed out. The one place a session becomes a user: tRPC's context, the plain HTTP
 * routes and server components all ask here.
 */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  let session;
  try {
    session = await auth().api.getSession({ headers });
  } catch (error) {
    if (isDatabaseUnavailable(error) && error instanceof Error)
      Object.assign(error, { digest: DATABASE_UNAVAILABLE_DIGEST });
    throw error;
  }
  const u = session?.user as Record<string, unknown> | undefined;
  if (!u || u.disabledAt) return null;
  return {
    id: String(u.id),
    email: String(u.email),
    name: String(u.name),
    role: u.role === "admin" ? "admin" : "annotator",
  };
}
