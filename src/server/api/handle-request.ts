import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { databaseUnreachable } from "@/server/api/http/database-unavailable";
import { errorResponse, unavailableResponse } from "@/server/api/http/json-error";
import { rejectCrossSite } from "@/server/api/http/same-origin";
import { handleExport } from "@/server/api/http/export-route";
import { handleUpload } from "@/server/api/http/upload-route";
import { handleClassify, handleOpenApi } from "@/server/api/http/v1/v1-route";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { auth } from "@/server/auth/auth";
import { toTRPCError } from "@/server/api/to-trpc-error";
import { RETRY_AFTER_SECONDS } from "@/server/error-table";
import { withClientAddress } from "@/server/auth/client-address";
import { redactedMessage } from "@/server/redact-secrets";

/**
 * The HTTP surface as a plain fetch handler: Next's route handlers call it, and integration tests serve it over a
 * real HTTP server without Next, so both exercise the same code.
 */
export async function handleApiRequest(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  // better-auth checks origins itself; its rate limiter keys on the address resolved here.
  if (pathname.startsWith("/api/auth/")) {
    let response: Response;
    try {
      response = await auth().handler(withClientAddress(request));
    } catch (error) {
      return errorResponse(error, "auth");
    }
    // better-auth answers its own failures with a 500; during an outage that 500 is really a 503.
    return response.status >= 500 && (await databaseUnreachable()) ? unavailableResponse() : response;
  }
  if (pathname.startsWith("/api/trpc/")) {
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: async ({ req }) => {
        try {
          return await createContext({ headers: req.headers });
        } catch (error) {
          // Reading the session is the first database query of every call: an outage shows here first.
          throw toTRPCError(error);
        }
      },
      responseMeta: ({ errors }) =>
        errors.some((error) => error.code === "SERVICE_UNAVAILABLE")
          ? { headers: new Headers({ "retry-after": String(RETRY_AFTER_SECONDS) }) }
          : {},
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}: ${redactedMessage(error)}`);
        if (error.code === "SERVICE_UNAVAILABLE") console.error(`[trpc] ${path ?? "?"}: database unavailable`);
      },
    });
  }
  if (pathname === "/api/v1/openapi.json" && request.method === "GET") return handleOpenApi();
  const classify = pathname.match(/^\/api\/v1\/projects\/([^/]+)\/classify$/);
  if (classify && request.method === "POST") return handleClassify(request, classify[1]);
  // tRPC needs no such check (its JSON POSTs are preflighted); /api/v1 is authenticated by API keys, not cookies.
  const unsafe = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  const crossSite = unsafe && pathname.startsWith("/api/projects/") ? rejectCrossSite(request) : undefined;
  if (crossSite) return crossSite;
  const projectRoute = pathname.match(/^\/api\/projects\/([^/]+)\/(export|imports\/upload)$/);
  if (projectRoute?.[2] === "export" && request.method === "GET") return handleExport(request, projectRoute[1]);
  if (projectRoute?.[2] === "imports/upload" && request.method === "POST")
    return handleUpload(request, projectRoute[1]);
  return Response.json({ error: "not found" }, { status: 404 });
}
