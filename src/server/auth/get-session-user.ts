import type { SessionUser } from "@/server/api/trpc";
import { createContext } from "@/server/api/trpc";

/** The signed-in user for a server component or route, from the request's headers (null when signed out). */
export async function getSessionUser(headers: Headers): Promise<SessionUser | null> {
  return (await createContext({ headers })).user;
}
