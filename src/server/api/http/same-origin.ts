import { publicUrl } from "@/env";
import { jsonError } from "@/server/api/http/json-error";
import { errorTable } from "@/server/error-table";

/**
 * Cross-site request forgery guard for cookie-authenticated routes that change state outside tRPC (the upload
 * route): a browser marks a cross-site request with Sec-Fetch-Site and Origin, and SameSite=Lax cookies alone still
 * ride along on a `text/plain` POST. Requests without either header (curl, scripts) are not from a browser page.
 * Returns a 403 response for a foreign request, or undefined when it may go on.
 */
export function rejectCrossSite(request: Request): Response | undefined {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return forbidden(`Sec-Fetch-Site: ${site}`);
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  const host = request.headers.get("host");
  const allowed = new Set([new URL(publicUrl()).origin, new URL(request.url).origin]);
  if (host) for (const scheme of ["http", "https"]) allowed.add(`${scheme}://${host}`);
  return allowed.has(origin) ? undefined : forbidden(`Origin ${origin}`);
}

function forbidden(what: string): Response {
  return jsonError(
    errorTable.FORBIDDEN.http,
    "FORBIDDEN",
    `Cross-site request refused (${what}): this route only accepts requests from Margin's own pages.`,
  );
}
