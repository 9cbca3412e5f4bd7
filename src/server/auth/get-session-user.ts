import { auth } from "@/server/auth/auth";

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
  const session = await auth().api.getSession({ headers });
  const u = session?.user as Record<string, unknown> | undefined;
  if (!u || u.disabledAt) return null;
  return {
    id: String(u.id),
    email: String(u.email),
    name: String(u.name),
    role: u.role === "admin" ? "admin" : "annotator",
  };
}
